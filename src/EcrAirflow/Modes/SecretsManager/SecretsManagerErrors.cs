using EcrAirflow.Airflow;

namespace EcrAirflow.Modes.SecretsManager
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
    }
}
