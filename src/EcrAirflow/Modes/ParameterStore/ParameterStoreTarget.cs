using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Airflow;
using EcrAirflow.AwsApi;
using EcrAirflow.Internal;
using EcrAirflow.Modes.SecretStores;

namespace EcrAirflow.Modes.ParameterStore
{
    /// <summary>
    /// -Mode ParameterStore: one SecureString parameter per connection where the amazon provider's
    /// SystemsManagerParameterStoreBackend reads it (/airflow/connections/&lt;conn_id&gt;, read with decryption).
    /// One PutParameter with Overwrite (SSM keeps the history as versions); the tier follows the value's size
    /// unless -Tier says otherwise (Advanced parameters cost money, so the result says which tier was used).
    /// Tags go on only when the parameter is created (SSM refuses Tags together with Overwrite), with
    /// AddTagsToResource. Never a delete.
    /// </summary>
    internal sealed class ParameterStoreTarget : IConnectionTarget
    {
        internal const int StandardMaxBytes = 4096;
        internal const int AdvancedMaxBytes = 8192;
        internal const int MaxLevels = 15;

        private static readonly Regex NamePattern = new Regex(@"\A[A-Za-z0-9_./-]{1,1011}\z", RegexOptions.CultureInvariant);

        private readonly SecretStore _store;
        private readonly ParameterTier? _tier;

        public ParameterStoreTarget(ParameterStoreParameters parameters, ModeContext context, IAwsBackend? backend = null)
        {
            _store = new SecretStore("ParameterStore", "ssm", AwsService.Ssm, context.RequireAws(), parameters.ConnectionsPrefix, "/",
                parameters.Format, parameters.KmsKeyId, parameters.Tag, CheckName, backend);
            _tier = parameters.Tier;
            if (!_store.Prefix.StartsWith("/", StringComparison.Ordinal))
            {
                throw ParameterStoreErrors.PrefixNotRooted(_store.Prefix);
            }
        }

        public string Mode => _store.Mode;

        public string Target => _store.Target;

        private AwsService Service => _store.Service;

        public string Describe(DockerConnection connection)
        {
            var name = _store.NameOf(connection.ConnectionId);
            return $": {name} in {_store.Sessions.For(connection.Region, NullOperationLog.Instance).Region} ({_store.Format})";
        }

        public Task<SyncOutcome> WriteAsync(IReadOnlyList<DockerConnection> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.WriteAsync(connections, "Writing Airflow connections to SSM Parameter Store", c => WriteOneAsync(c, log, cancellationToken), log, cancellationToken);

        /// <summary>GetParameter with decryption per id, as the backend reads it: a connection, something else, or nothing.</summary>
        public Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.ReadAsync(connections, "Reading Airflow connections from SSM Parameter Store", c => ReadOneAsync(c, log, cancellationToken), log, cancellationToken);

        private static void CheckName(string name, string connectionId)
        {
            var levels = name.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Length;
            if (!NamePattern.IsMatch(name) || name.IndexOf("//", StringComparison.Ordinal) >= 0 || levels > MaxLevels
                || name.StartsWith("/aws", StringComparison.OrdinalIgnoreCase) || name.StartsWith("/ssm", StringComparison.OrdinalIgnoreCase))
            {
                throw ParameterStoreErrors.InvalidName(name, connectionId, MaxLevels);
            }
        }

        private string ValueOf(DockerConnection connection) => _store.Format == ConnectionFormat.Json
            ? ConnectionJson.Object(connection, includeDescription: true)
            : ConnectionUri.Build(connection);

        private async Task<StoredConnection> ReadOneAsync(ConnectionRef connection, IOperationLog log, CancellationToken cancellationToken)
        {
            var name = _store.NameOf(connection.ConnectionId);
            var session = _store.Sessions.For(connection.Region, log);
            var location = _store.Location(session, name);
            log.Verbose($"Reading parameter {name} in {session.Region} (with decryption).");
            var body = new JsonText().StartObject().Member("Name", name).Name("WithDecryption").Bool(true).EndObject().ToUtf8();
            var call = _store.Call("GetParameter", body, "ssm:GetParameter" + (string.IsNullOrEmpty(_store.KmsKeyId) ? string.Empty : " (and kms:Decrypt on the key)"));
            var reply = await session.SendAsync(call, log, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                if (reply.ErrorCode == "ParameterNotFound")
                {
                    return StoredConnection.Missing(connection.ConnectionId, location);
                }

                throw Failure(connection.ConnectionId, name, call, reply);
            }

            var value = SecretStore.ReplyString(reply, "Parameter", "Value")
                ?? throw AwsErrors.Malformed(Service, "GetParameter", $"the reply for connection '{connection.ConnectionId}' has no Parameter.Value");
            call.Redactor.Add(value);
            return ConnectionDocument.Parse(connection.ConnectionId, value, location);
        }

        private async Task<AirflowConnectionSyncResult> WriteOneAsync(DockerConnection connection, IOperationLog log, CancellationToken cancellationToken)
        {
            var name = _store.NameOf(connection.ConnectionId);
            var session = _store.Sessions.For(connection.Region, log);
            var value = ValueOf(connection);
            var size = Encoding.UTF8.GetByteCount(value);
            var tier = ChooseTier(size, connection);
            if (tier == ParameterTier.Advanced && _tier == null)
            {
                log.Warning($"The value for connection '{connection.ConnectionId}' is {size} bytes, more than a Standard parameter holds ({StandardMaxBytes}); writing {name} as an Advanced parameter, which AWS charges for.");
            }

            log.Verbose($"Writing parameter {name} in {session.Region} (SecureString, {(tier?.ToString() ?? "the account's default tier")}, {size} bytes).");
            var put = _store.Call("PutParameter", PutBody(connection, name, value, tier), _store.Permission("ssm:PutParameter"), connection, value);
            var reply = await session.SendAsync(put, log, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                throw Failure(connection.ConnectionId, name, put, reply);
            }

            var (version, usedTier) = ReadReply(reply, connection);
            var action = version == 1 ? SyncAction.Created : SyncAction.Updated;
            if (action == SyncAction.Created && _store.Tags.Count > 0)
            {
                var tags = _store.Call("AddTagsToResource", TagBody(name), _store.Permission("ssm:AddTagsToResource"), connection, value);
                var tagged = await session.SendAsync(tags, log, cancellationToken).ConfigureAwait(false);
                if (!tagged.IsSuccess)
                {
                    log.Warning($"Parameter {name} was created, but its tags could not be added: {Failure(connection.ConnectionId, name, tags, tagged).Message}");
                }
            }

            return _store.Result(connection, session, name, action, version: version, tier: usedTier ?? tier?.ToString());
        }

        /// <summary>null: let SSM use the account's default tier (a small value); Advanced above 4 KB.</summary>
        private ParameterTier? ChooseTier(int size, DockerConnection connection)
        {
            if (size > AdvancedMaxBytes)
            {
                throw ParameterStoreErrors.ValueTooLarge(connection.ConnectionId, size, AdvancedMaxBytes);
            }

            if (_tier == ParameterTier.Standard && size > StandardMaxBytes)
            {
                throw ParameterStoreErrors.ValueTooLargeForTier(connection.ConnectionId, size, StandardMaxBytes);
            }

            if (_tier.HasValue)
            {
                return _tier.Value;
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
                .OptionalMember("KeyId", _store.KmsKeyId)
                .Member("Description", $"Airflow connection {connection.ConnectionId} (docker, {connection.Host}), written by EcrAirflow")
                .EndObject().ToUtf8();

        private byte[] TagBody(string name)
        {
            var json = new JsonText().StartObject()
                .Member("ResourceType", "Parameter")
                .Member("ResourceId", name)
                .Name("Tags").StartArray();
            foreach (var tag in _store.Tags)
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

        private EcrAirflowException Failure(string connectionId, string name, AwsCall call, AwsReply reply)
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
            return new EcrAirflowException(error.ErrorId, error.Kind, error.Message, error.Hint) { RequestId = error.RequestId, TargetObject = connectionId };
        }
    }
}
