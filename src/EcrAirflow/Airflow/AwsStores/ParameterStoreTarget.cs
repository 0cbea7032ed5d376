using System;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Aws;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow.AwsStores
{
    /// <summary>
    /// -Mode ParameterStore: one SecureString parameter per connection where the amazon provider's
    /// SystemsManagerParameterStoreBackend reads it (/airflow/connections/&lt;conn_id&gt;, read with decryption).
    /// One PutParameter with Overwrite (SSM keeps the history as versions); the tier follows the value's size
    /// unless -Tier says otherwise (Advanced parameters cost money, so the result says which tier was used).
    /// Tags go on only when the parameter is created (SSM refuses Tags together with Overwrite), with
    /// AddTagsToResource. Never a delete.
    /// </summary>
    internal sealed class ParameterStoreTarget : SecretStoreTarget
    {
        internal const int StandardMaxBytes = 4096;
        internal const int AdvancedMaxBytes = 8192;
        internal const int MaxLevels = 15;

        private static readonly Regex NamePattern = new Regex(@"\A[A-Za-z0-9_./-]{1,1011}\z", RegexOptions.CultureInvariant);

        public ParameterStoreTarget(SyncOptions options, IAwsBackend? backend = null)
            : base(options, AwsService.Ssm, backend)
        {
            if (!Prefix.StartsWith("/", StringComparison.Ordinal))
            {
                throw new EcrAirflowException("ParameterStorePrefixNotRooted", FailureKind.InvalidArgument,
                    $"-ConnectionsPrefix '{ConnectionInput.Printable(Prefix)}' must start with '/': Airflow's Parameter Store backend puts one in front of any prefix, so a parameter without it would never be read.",
                    "Use the backend's connections_prefix with its leading slash, e.g. -ConnectionsPrefix /airflow/connections.")
                { TargetObject = Prefix };
            }
        }

        public override string Mode => "ParameterStore";

        protected override string DefaultPrefix => "/airflow/connections";

        protected override string Scheme => "ssm";

        protected override string Activity => "Writing Airflow connections to SSM Parameter Store";

        protected override void CheckName(string name, DockerConnection connection)
        {
            var levels = name.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Length;
            if (!NamePattern.IsMatch(name) || name.IndexOf("//", StringComparison.Ordinal) >= 0 || levels > MaxLevels
                || name.StartsWith("/aws", StringComparison.OrdinalIgnoreCase) || name.StartsWith("/ssm", StringComparison.OrdinalIgnoreCase))
            {
                throw new EcrAirflowException("ParameterStoreInvalidName", FailureKind.InvalidArgument,
                    $"The parameter name '{ConnectionInput.Printable(name)}' for connection '{connection.ConnectionId}' is not valid in Parameter Store: ASCII letters, digits and _ . - / only, at most {MaxLevels} levels, no empty level, and not under /aws or /ssm.",
                    "Use a connection id and -ConnectionsPrefix of ASCII letters, digits and _ . - only.")
                { TargetObject = connection.ConnectionId };
            }
        }

        protected override async Task<AirflowConnectionSyncResult> WriteOneAsync(IAwsSession session, DockerConnection connection, string name, string value, IOperationLog log, CancellationToken cancellationToken)
        {
            var size = Encoding.UTF8.GetByteCount(value);
            var tier = ChooseTier(size, connection);
            if (tier == ParameterTier.Advanced && Options.Tier == null)
            {
                log.Warning($"The value for connection '{connection.ConnectionId}' is {size} bytes, more than a Standard parameter holds ({StandardMaxBytes}); writing {name} as an Advanced parameter, which AWS charges for.");
            }

            log.Verbose($"Writing parameter {name} in {session.Region} (SecureString, {(tier?.ToString() ?? "the account's default tier")}, {size} bytes).");
            var put = Call("PutParameter", PutBody(connection, name, value, tier), Permission("ssm:PutParameter"), connection, value);
            var reply = await session.SendAsync(put, log, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                throw Failure(connection, name, put, reply);
            }

            var (version, usedTier) = ReadReply(reply, connection);
            var action = version == 1 ? SyncAction.Created : SyncAction.Updated;
            if (action == SyncAction.Created && Options.Tags.Count > 0)
            {
                var tags = Call("AddTagsToResource", TagBody(name), Permission("ssm:AddTagsToResource"), connection, value);
                var tagged = await session.SendAsync(tags, log, cancellationToken).ConfigureAwait(false);
                if (!tagged.IsSuccess)
                {
                    log.Warning($"Parameter {name} was created, but its tags could not be added: {Failure(connection, name, tags, tagged).Message}");
                }
            }

            var result = Result(connection, session, name, action);
            result.Version = version;
            result.Tier = usedTier ?? tier?.ToString();
            return result;
        }

        /// <summary>null: let SSM use the account's default tier (a small value); Advanced above 4 KB.</summary>
        private ParameterTier? ChooseTier(int size, DockerConnection connection)
        {
            if (size > AdvancedMaxBytes)
            {
                throw new EcrAirflowException("ParameterStoreValueTooLarge", FailureKind.LimitsExceeded,
                    $"The value for connection '{connection.ConnectionId}' is {size} bytes, more than a parameter holds ({AdvancedMaxBytes} for Advanced); nothing was written.",
                    "Use -Mode SecretsManager (up to 64 KB), or drop -Email / shorten -Description.")
                { TargetObject = connection.ConnectionId };
            }

            if (Options.Tier == ParameterTier.Standard && size > StandardMaxBytes)
            {
                throw new EcrAirflowException("ParameterStoreValueTooLargeForTier", FailureKind.LimitsExceeded,
                    $"The value for connection '{connection.ConnectionId}' is {size} bytes, more than a Standard parameter holds ({StandardMaxBytes}); nothing was written.",
                    "Use -Tier Advanced or IntelligentTiering (Advanced parameters cost money), or leave -Tier out to choose by size.")
                { TargetObject = connection.ConnectionId };
            }

            if (Options.Tier.HasValue)
            {
                return Options.Tier.Value;
            }

            return size > StandardMaxBytes ? ParameterTier.Advanced : (ParameterTier?)null;
        }

        private byte[] PutBody(DockerConnection connection, string name, string value, ParameterTier? tier) =>
            new JsonText().StartObject()
                .Member("Name", name)
                .Member("Value", value)
                .Member("Type", "SecureString")
                .Name("Overwrite").Bool(true)
                .OptionalMember("Tier", tier?.ToString())
                .OptionalMember("KeyId", Options.KmsKeyId)
                .Member("Description", $"Airflow connection {connection.ConnectionId} (docker, {connection.Host}), written by EcrAirflow")
                .EndObject().ToUtf8();

        private byte[] TagBody(string name)
        {
            var json = new JsonText().StartObject()
                .Member("ResourceType", "Parameter")
                .Member("ResourceId", name)
                .Name("Tags").StartArray();
            foreach (var tag in Options.Tags)
            {
                json.StartObject().Member("Key", tag.Key).Member("Value", tag.Value).EndObject();
            }

            return json.EndArray().EndObject().ToUtf8();
        }

        /// <summary>PutParameter answers {"Version": n, "Tier": …}: a reply without a version is not a write.</summary>
        private (long Version, string? Tier) ReadReply(AwsReply reply, DockerConnection connection)
        {
            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var version) && version > 0)
                {
                    var tier = root.TryGetProperty("Tier", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    return (version, tier);
                }
            }
            catch (JsonException)
            {
            }

            throw AwsErrors.Malformed(Service, "PutParameter", $"the reply for connection '{connection.ConnectionId}' has no Version, so whether the parameter was written is unknown");
        }

        private EcrAirflowException Failure(DockerConnection connection, string name, AwsCall call, AwsReply reply)
        {
            EcrAirflowException error = reply.ErrorCode switch
            {
                "InvalidKeyId" => AwsErrors.Error("ParameterStoreInvalidKeyId", FailureKind.InvalidArgument, Service, call, reply,
                    "Check -KmsKeyId: a key id, ARN or alias (alias/…) in this region that this identity may use (kms:Encrypt); leave it out for the account's alias/aws/ssm."),
                "ParameterLimitExceeded" or "ParameterMaxVersionLimitExceeded" or "HierarchyLevelLimitExceededException" or "HierarchyTypeMismatchException" =>
                    AwsErrors.Error("ParameterStoreLimitExceeded", FailureKind.LimitsExceeded, Service, call, reply,
                        "Parameter Store refused the parameter (a quota, its version history, or its hierarchy); see the message."),
                "InvalidAllowedPatternException" or "ParameterPatternMismatchException" or "ValidationException" or "UnsupportedParameterType" or "InvalidTier" =>
                    AwsErrors.Error("ParameterStoreInvalidRequest", FailureKind.InvalidArgument, Service, call, reply,
                        $"Check -ConnectionsPrefix, -Tier and -KmsKeyId; an existing Advanced parameter cannot become Standard again (use -Tier Advanced for {name})."),
                _ => AwsErrors.Unexpected(Service, call, reply),
            };
            return new EcrAirflowException(error.ErrorId, error.Kind, error.Message, error.Hint) { RequestId = error.RequestId, TargetObject = connection.ConnectionId };
        }
    }
}
