

namespace EcrAirflow.Modes.ParameterStore
{
    /// <summary>-Mode ParameterStore: where the amazon provider's SystemsManagerParameterStoreBackend reads connections.</summary>
    internal sealed class ParameterStoreMode : ModeDefinition<ParameterStoreParameters>
    {
        public override SyncMode Mode => SyncMode.ParameterStore;

        public override string Summary =>
            "SSM Parameter Store, where the amazon provider's SystemsManagerParameterStoreBackend reads /<prefix>/<conn id>: one SecureString PutParameter with Overwrite.";

        public override string Writes => "parameter";

        protected override IConnectionTarget CreateTarget(ParameterStoreParameters parameters, ModeContext context) =>
            new ParameterStoreTarget(parameters, context);
    }
}
