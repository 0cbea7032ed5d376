using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Core.Modes.ParameterStore
{
    /// <summary>Parameter Store mode's own errors before any call (what AWS answers is mapped in the target's Failure).</summary>
    internal static class ParameterStoreErrors
    {
        public static EcrAirflowException PrefixNotRooted(string prefix) => new EcrAirflowException("ParameterStorePrefixNotRooted", FailureKind.InvalidArgument,
            $"-ConnectionsPrefix '{ConnectionInput.Printable(prefix)}' must start with '/': Airflow's Parameter Store backend puts one in front of any prefix, so a parameter without it would never be read.",
            "Use the backend's connections_prefix with its leading slash, e.g. -ConnectionsPrefix /airflow/connections.")
        { TargetObject = prefix };

        public static EcrAirflowException InvalidName(string name, string connectionId, int maxLevels) => new EcrAirflowException("ParameterStoreInvalidName", FailureKind.InvalidArgument,
            $"The parameter name '{ConnectionInput.Printable(name)}' for connection '{connectionId}' is not valid in Parameter Store: ASCII letters, digits and _ . - / only, at most {maxLevels} levels, no empty level, and not under /aws or /ssm.",
            "Use a connection id and -ConnectionsPrefix of ASCII letters, digits and _ . - only.")
        { TargetObject = connectionId };

        public static EcrAirflowException ValueTooLarge(string connectionId, int size, int max) => new EcrAirflowException("ParameterStoreValueTooLarge", FailureKind.LimitsExceeded,
            $"The value for connection '{connectionId}' is {size} bytes, more than a parameter holds ({max} for Advanced); nothing was written.",
            "Use -Mode SecretsManager (up to 64 KB), or drop -Email / shorten -Description.")
        { TargetObject = connectionId };

        public static EcrAirflowException ValueTooLargeForTier(string connectionId, int size, int max) => new EcrAirflowException("ParameterStoreValueTooLargeForTier", FailureKind.LimitsExceeded,
            $"The value for connection '{connectionId}' is {size} bytes, more than a Standard parameter holds ({max}); nothing was written.",
            "Use -Tier Advanced or IntelligentTiering (Advanced parameters cost money), or leave -Tier out to choose by size.")
        { TargetObject = connectionId };

        public const string KmsKeyMismatchId = "ParameterStoreKmsKeyMismatch";

        public static EcrAirflowException NotEncrypted(string connectionId, string name, string type, string givenKey) => new EcrAirflowException(KmsKeyMismatchId, FailureKind.InvalidOperation,
            $"The parameter {name} for connection '{connectionId}' is a {type} parameter, not encrypted, and -KmsKeyId {givenKey} asks for a SecureString; a refresh never changes a parameter's type, so nothing was written.",
            $"Leave out -KmsKeyId to keep the parameter as it is (Airflow's role reads it without kms:Decrypt), or delete it (aws ssm delete-parameter --name {name}) and run this again to create it as a SecureString with that key.")
        { TargetObject = connectionId };

        public static EcrAirflowException KmsKeyMismatch(string connectionId, string name, string storedKey, string givenKey) => new EcrAirflowException(KmsKeyMismatchId, FailureKind.InvalidOperation,
            $"The parameter {name} for connection '{connectionId}' is encrypted with {storedKey}, not with the -KmsKeyId {givenKey}; a refresh never moves a parameter to another key, so nothing was written.",
            $"Leave out -KmsKeyId to keep the parameter's key (or give it as the parameter names it, {storedKey}, if it is the same key); to use {givenKey}, make sure Airflow's role may decrypt with it, then overwrite the parameter with that key yourself or delete it and run this again.")
        { TargetObject = connectionId };
    }
}
