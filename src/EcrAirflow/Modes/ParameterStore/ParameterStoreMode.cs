

namespace EcrAirflow.Modes.ParameterStore
{
    /// <summary>-Mode ParameterStore: where the amazon provider's SystemsManagerParameterStoreBackend reads connections.</summary>
    internal sealed class ParameterStoreMode : ModeDefinition<ParameterStoreParameters>
    {
        public override SyncMode Mode => SyncMode.ParameterStore;

        public override string Summary =>
            "SSM Parameter Store, where the amazon provider's SystemsManagerParameterStoreBackend reads /<prefix>/<conn id>: GetParameter and DescribeParameters, then PutParameter with Overwrite keeping its type, key, description and tier; a new one is a SecureString.";

        public override string Writes => "parameter";

        protected override IConnectionTarget CreateTarget(ParameterStoreParameters parameters, ModeContext context) =>
            new ParameterStoreTarget(parameters, context);
    }
}
