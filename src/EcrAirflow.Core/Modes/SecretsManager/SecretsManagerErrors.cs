using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Core.Modes.SecretsManager
{
    /// <summary>Secrets Manager mode's own errors before any call (what AWS answers is mapped in the target's Failure).</summary>
    internal static class SecretsManagerErrors
    {
        public static EcrAirflowException InvalidSeparator() => new EcrAirflowException("InvalidSeparator", FailureKind.InvalidArgument,
            "-Separator is empty.", "Use the backend's sep (default '/').");

        public static EcrAirflowException InvalidName(string name, string connectionId) => new EcrAirflowException("SecretsManagerInvalidName", FailureKind.InvalidArgument,
            $"The secret name '{ConnectionInput.Printable(name)}' for connection '{connectionId}' is not valid in Secrets Manager: at most 512 characters of ASCII letters, digits and /_+=.@-.",
            "Use a connection id and -ConnectionsPrefix of ASCII letters, digits and _ . - / only.")
        { TargetObject = connectionId };

        public static EcrAirflowException ValueTooLarge(string connectionId) => new EcrAirflowException("SecretsManagerValueTooLarge", FailureKind.LimitsExceeded,
            $"The value for connection '{connectionId}' is larger than the 64 KB Secrets Manager stores; nothing was written.",
            "Drop -Email or shorten -Description; an ECR token alone always fits.")
        { TargetObject = connectionId };

        public static EcrAirflowException KmsKeyMismatch(string connectionId, string name, string storedKey, string givenKey) => new EcrAirflowException("SecretsManagerKmsKeyMismatch", FailureKind.InvalidOperation,
            $"The secret {name} for connection '{connectionId}' is encrypted with {storedKey}, not with the -KmsKeyId {givenKey}; nothing was written.",
            $"Leave out -KmsKeyId to keep the secret's key (or give it as the secret names it, if it is the same key), or move the secret to the key first: aws secretsmanager update-secret --secret-id {name} --kms-key-id {givenKey} (its new versions are then encrypted with it), then run this again.")
        { TargetObject = connectionId };
    }
}
