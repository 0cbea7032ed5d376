namespace EcrAirflow.Aws
{
    /// <summary>How the user asked for AWS credentials (plain core types; the cmdlet unwraps PSCredential).</summary>
    internal sealed class AwsCredentialRequest
    {
        public string? AccessKeyId { get; set; }

        public string? SecretAccessKey { get; set; }

        public string? SessionToken { get; set; }

        public string? ProfileName { get; set; }

        public string? ProfileLocation { get; set; }

        public string? RoleArn { get; set; }

        public string? RoleSessionName { get; set; }

        public string? ExternalId { get; set; }
    }
}
