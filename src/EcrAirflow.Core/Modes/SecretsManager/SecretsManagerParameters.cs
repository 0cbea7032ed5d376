using System.Collections;
using System.Management.Automation;
using EcrAirflow.Core.Commands;

namespace EcrAirflow.Core.Modes.SecretsManager
{
    /// <summary>-Mode SecretsManager's parameters: the backend's name rule, the value's form, the key and tags of a new secret.</summary>
    internal sealed class SecretsManagerParameters : AwsModeParameters
    {
        [Parameter]
        [ArgumentCompleter(typeof(ModeArgumentCompleter))]
        [ValidateNotNull]
        [CompletionValues("airflow/connections")]
        public string ConnectionsPrefix { get; set; } = "airflow/connections";

        [Parameter]
        [ArgumentCompleter(typeof(ModeArgumentCompleter))]
        [ValidateNotNullOrEmpty]
        [CompletionValues("/")]
        public string Separator { get; set; } = "/";

        [Parameter]
        public ConnectionFormat Format { get; set; } = ConnectionFormat.Json;

        [Parameter]
        [ValidateNotNullOrEmpty]
        [DefaultText("aws/secretsmanager")]
        public string? KmsKeyId { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        internal override string Summary =>
            "AWS Secrets Manager, where the amazon provider's SecretsManagerBackend reads <prefix>/<conn id>: GetSecretValue, then PutSecretValue (a new version, merged), CreateSecret the first time.";

        internal override string Writes => "secret";

        internal override IConnectionTarget CreateTarget(ModeContext context) => new SecretsManagerTarget(this, context);
    }
}
