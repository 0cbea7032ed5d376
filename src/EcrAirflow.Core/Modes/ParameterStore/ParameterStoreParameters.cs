using System.Collections;
using System.Management.Automation;
using EcrAirflow.Core.Commands;

namespace EcrAirflow.Core.Modes.ParameterStore
{
    /// <summary>-Mode ParameterStore's parameters: the backend's prefix, the value's form, the key, tier and tags.</summary>
    internal sealed class ParameterStoreParameters : AwsModeParameters
    {
        [Parameter]
        [ArgumentCompleter(typeof(ModeArgumentCompleter))]
        [ValidateNotNull]
        [CompletionValues("/airflow/connections")]
        public string ConnectionsPrefix { get; set; } = "/airflow/connections";

        [Parameter]
        public ConnectionFormat Format { get; set; } = ConnectionFormat.Json;

        [Parameter]
        [ValidateNotNullOrEmpty]
        [DefaultText("alias/aws/ssm")]
        public string? KmsKeyId { get; set; }

        /// <summary>null: by size (the account's default up to 4 KB, Advanced above).</summary>
        [Parameter]
        [DefaultText("by size: the account's default up to 4 KB, Advanced above")]
        public ParameterTier? Tier { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        internal override string Summary =>
            "SSM Parameter Store, where the amazon provider's SystemsManagerParameterStoreBackend reads /<prefix>/<conn id>: GetParameter and DescribeParameters, then PutParameter with Overwrite keeping its type, key, description and tier; a new one is a SecureString.";

        internal override string Writes => "parameter";

        internal override IConnectionTarget CreateTarget(ModeContext context) => new ParameterStoreTarget(this, context);
    }
}
