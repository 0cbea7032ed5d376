
namespace EcrAirflow.Core.Modes.Rest
{
    /// <summary>Rest mode's own errors, raised before any request (what Airflow answers is Airflow.Api.AirflowErrors').</summary>
    internal static class RestErrors
    {
        public const string CredentialAndAccessTokenId = "CredentialAndAccessToken";
        public const string InvalidAccessTokenId = "InvalidAccessToken";
        public const string AirflowUrlRequiredId = "AirflowUrlRequired";
        public const string InvalidAirflowUrlId = "InvalidAirflowUrl";
        public const string AirflowUrlContainsCredentialsId = "AirflowUrlContainsCredentials";

        public static EcrAirflowException CredentialAndAccessToken() => new EcrAirflowException(CredentialAndAccessTokenId, FailureKind.InvalidArgument,
            "-AirflowCredential and -AccessToken cannot be used together.", "Use one way to authenticate.")
        { TargetObject = "AirflowCredential" };

        public static EcrAirflowException InvalidAccessToken() => new EcrAirflowException(InvalidAccessTokenId, FailureKind.InvalidArgument,
            "-AccessToken holds a line break, a space or a character outside printable ASCII, which no Authorization header can carry.",
            "Pass the bearer token exactly as issued (e.g. without the trailing newline of a file read with Get-Content -Raw).");
    }
}
