

namespace EcrAirflow.Modes.SecretsManager
{
    /// <summary>-Mode SecretsManager: where the amazon provider's SecretsManagerBackend reads connections.</summary>
    internal sealed class SecretsManagerMode : ModeDefinition<SecretsManagerParameters>
    {
        public override SyncMode Mode => SyncMode.SecretsManager;

        public override string Summary =>
            "AWS Secrets Manager, where the amazon provider's SecretsManagerBackend reads <prefix>/<conn id>: GetSecretValue, then PutSecretValue (a new version, merged), CreateSecret the first time.";

        public override string Writes => "secret";

        protected override IConnectionTarget CreateTarget(SecretsManagerParameters parameters, ModeContext context) =>
            new SecretsManagerTarget(parameters, context);
    }
}
