using System;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Modes.SecretStores;

namespace EcrAirflow.Core.Modes.ParameterStore
{
    /// <summary>
    /// -Mode ParameterStore: one parameter per connection where the amazon provider's
    /// SystemsManagerParameterStoreBackend reads it (/airflow/connections/&lt;conn_id&gt;, read with decryption). A
    /// refresh reads the value (GetParameter) and what the parameter is (DescribeParameters: type, KMS key,
    /// Description, tier), then overwrites it keeping all four (a String never becomes SecureString; the tier rises
    /// to Advanced only when the value needs it) and merging the connection. A new parameter is created without
    /// Overwrite, as a SecureString, with its tags in the same request; the tier follows the value's size unless
    /// -Tier says otherwise (Advanced parameters cost money, so the result says which tier was used). What is not
    /// a Docker connection is refused unchanged unless -ReplaceNonDocker. Never a delete.
    /// </summary>
    internal sealed class ParameterStoreTarget : SecretStoreTarget
    {
        internal const int StandardMaxBytes = 4096;
        internal const int AdvancedMaxBytes = 8192;
        internal const int MaxLevels = 15;

        /// <summary>The key a SecureString created without a KeyId is encrypted with.</summary>
        internal const string DefaultKey = "alias/aws/ssm";

        /// <summary>How many DescribeParameters pages to follow: a filtered page may be empty and still have a NextToken.</summary>
        private const int MaxDescribePages = 10;

        private static readonly Regex NamePattern = new Regex(@"\A[A-Za-z0-9_./-]{1,1011}\z", RegexOptions.CultureInvariant);

        private readonly ParameterTier? _tier;

        public ParameterStoreTarget(ParameterStoreParameters parameters, ModeContext context, IAwsBackend? backend = null)
            : base(Open(parameters, context, backend))
        {
            _tier = parameters.Tier;
        }

        private static SecretStore Open(ParameterStoreParameters parameters, ModeContext context, IAwsBackend? backend)
        {
            var store = new SecretStore("ParameterStore", "ssm", AwsService.Ssm, context.RequireAws(), parameters.ConnectionsPrefix, "/",
                parameters.Format, parameters.WasGiven(nameof(parameters.Format)), parameters.KmsKeyId, parameters.Tag, CheckName, backend);
            if (!store.Prefix.StartsWith("/", StringComparison.Ordinal))
            {
                throw ParameterStoreErrors.PrefixNotRooted(store.Prefix);
            }

            return store;
        }

        protected override string WriteActivity => "Writing Airflow connections to SSM Parameter Store";

        protected override string ReadActivity => "Reading Airflow connections from SSM Parameter Store";

        /// <summary>What reading a parameter takes (a SecureString under a customer managed key also needs kms:Decrypt).</summary>
        protected override string ReadPermission => "ssm:GetParameter (and kms:Decrypt on a SecureString's key, when it is a customer managed key)";

        /// <summary>What a refresh takes: it reads the parameter and what it is, then writes it.</summary>
        private string RefreshPermission => Store.Permission(
            "ssm:GetParameter, ssm:DescribeParameters and ssm:PutParameter (a refresh reads the parameter before it writes)"
            + (Store.Tags.Count > 0 ? ", and ssm:AddTagsToResource for -Tag" : string.Empty));

        private static void CheckName(string name, string connectionId)
        {
            var levels = name.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Length;
            if (!NamePattern.IsMatch(name) || name.IndexOf("//", StringComparison.Ordinal) >= 0 || levels > MaxLevels
                || name.StartsWith("/aws", StringComparison.OrdinalIgnoreCase) || name.StartsWith("/ssm", StringComparison.OrdinalIgnoreCase))
            {
                throw ParameterStoreErrors.InvalidName(name, connectionId, MaxLevels);
            }
        }

        protected override async Task<StoredConnection> ReadOneAsync(IAwsSession session, string name, string connectionId, string permission, IOperationLog log, CancellationToken cancellationToken)
        {
            var location = Store.Location(session, name);
            log.Verbose($"Reading parameter {name} in {session.Region} (with decryption).");
            var body = new JsonText().StartObject().Member("Name", name).Name("WithDecryption").Bool(true).EndObject().ToUtf8();
            var call = Store.Call("GetParameter", body, permission);
            var reply = await session.SendAsync(call, log, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                if (reply.ErrorCode == "ParameterNotFound")
                {
                    return StoredConnection.Missing(connectionId, location);
                }

                throw Failure(connectionId, name, call, reply);
            }

            var value = SecretStore.ReplyString(reply, "Parameter", "Value")
                ?? throw AwsErrors.Malformed(Service, "GetParameter", $"the reply for connection '{connectionId}' has no Parameter.Value");
            call.Redactor.Add(value);
            return ConnectionDocument.Parse(connectionId, value, location);
        }

        /// <summary>
        /// Reads, then writes over what is there. Another writer may create the parameter between our read and our
        /// create (or our own create succeeded and its reply was lost, so the retry finds it): the create is refused
        /// with ParameterAlreadyExists, and the parameter is read again and overwritten as it is. Since the read said
        /// nothing was there, it is tagged by name afterwards: whether the create that made it carried our tags is
        /// unknown, and its version says nothing (a lost reply makes our retry version 2). One parameter deleted
        /// between our two reads is created anew. Each turn is taken once; then the last answer is reported.
        /// </summary>
        protected override async Task<AirflowConnectionSyncResult> WriteOneAsync(DockerConnection connection, IOperationLog log, CancellationToken cancellationToken)
        {
            var name = Store.NameOf(connection.ConnectionId);
            var session = Store.Sessions.For(connection.Region, log);
            var stored = await ReadOneAsync(session, name, connection.ConnectionId, RefreshPermission, log, cancellationToken).ConfigureAwait(false);
            var foundNothing = stored.Kind == StoredKind.Missing;
            bool reread = false, vanished = false;
            while (true)
            {
                var value = Store.ValueOver(stored, connection, includeDescription: true, log);
                var size = Encoding.UTF8.GetByteCount(value);
                if (stored.Kind == StoredKind.Missing)
                {
                    var tier = ChooseTier(size, null, connection, name, log);
                    log.Verbose($"Parameter {name} does not exist yet; creating it in {session.Region} (SecureString, {(tier?.ToString() ?? "the account's default tier")}, {size} bytes).");
                    var create = Store.Call("PutParameter", CreateBody(connection, name, value, tier), RefreshPermission, connection, value);
                    var created = await session.SendAsync(create, log, cancellationToken).ConfigureAwait(false);
                    if (created.IsSuccess)
                    {
                        var (version, usedTier) = ReadReply(created, connection);
                        return Store.Result(connection, session, name, SyncAction.Created, version: version, tier: usedTier ?? tier?.ToString());
                    }

                    if (created.ErrorCode != "ParameterAlreadyExists" || reread)
                    {
                        throw Failure(connection.ConnectionId, name, create, created);
                    }

                    log.Verbose($"Parameter {name} exists now (created meanwhile, by another writer or by our own request whose reply was lost); reading it again.");
                    reread = true;
                    stored = await ReadOneAsync(session, name, connection.ConnectionId, RefreshPermission, log, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var metadata = await DescribeAsync(session, name, connection.ConnectionId, stored, log, cancellationToken).ConfigureAwait(false);
                if (metadata == null)
                {
                    if (vanished)
                    {
                        throw AwsErrors.Malformed(Service, "DescribeParameters", $"it does not list {name}, which GetParameter has just read, for connection '{connection.ConnectionId}'");
                    }

                    log.Verbose($"Parameter {name} was deleted meanwhile; creating it anew.");
                    vanished = true;
                    stored = StoredConnection.Missing(connection.ConnectionId, stored.Location);
                    continue;
                }

                return await OverwriteAsync(session, connection, name, value, size, stored, metadata, foundNothing, log, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>PutParameter with Overwrite, sending back the parameter's own type, key, Description and tier.</summary>
        private async Task<AirflowConnectionSyncResult> OverwriteAsync(IAwsSession session, DockerConnection connection, string name, string value, int size,
            StoredConnection stored, ParameterMetadata metadata, bool foundNothing, IOperationLog log, CancellationToken cancellationToken)
        {
            CheckKey(connection.ConnectionId, name, metadata);
            var tier = ChooseTier(size, metadata.Tier, connection, name, log);
            log.Verbose($"Writing parameter {name} in {session.Region} ({metadata.Type}{(metadata.IsSecureString ? " with " + (metadata.KeyId ?? DefaultKey) : string.Empty)}, as it was; {(tier?.ToString() ?? "its tier")}, {size} bytes).");
            var put = Store.Call("PutParameter", OverwriteBody(name, value, metadata, tier), RefreshPermission, connection, value, stored);
            var reply = await session.SendAsync(put, log, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                throw Failure(connection.ConnectionId, name, put, reply);
            }

            var (version, usedTier) = ReadReply(reply, connection);
            if (foundNothing && Store.Tags.Count > 0)
            {
                var tags = Store.Call("AddTagsToResource", TagBody(name), RefreshPermission, connection, value);
                var tagged = await session.SendAsync(tags, log, cancellationToken).ConfigureAwait(false);
                if (!tagged.IsSuccess)
                {
                    log.Warning($"Parameter {name} was written, but its tags could not be added: {Failure(connection.ConnectionId, name, tags, tagged).Message}");
                }
            }

            return Store.Result(connection, session, name, foundNothing ? SyncAction.Created : SyncAction.Updated, version: version, tier: usedTier ?? tier?.ToString());
        }

        /// <summary>The parameter's type, key, Description and tier (DescribeParameters, filtered to this name); null when it is gone.</summary>
        private async Task<ParameterMetadata?> DescribeAsync(IAwsSession session, string name, string connectionId, StoredConnection stored, IOperationLog log, CancellationToken cancellationToken)
        {
            string? token = null;
            for (var page = 0; page < MaxDescribePages; page++)
            {
                var json = new JsonText().StartObject()
                    .Name("ParameterFilters").StartArray()
                    .StartObject().Member("Key", "Name").Member("Option", "Equals").Name("Values").StartArray().String(name).EndArray().EndObject()
                    .EndArray()
                    .OptionalMember("NextToken", token)
                    .EndObject();
                var call = Store.Call("DescribeParameters", json.ToUtf8(), RefreshPermission, stored: stored);
                var reply = await session.SendAsync(call, log, cancellationToken).ConfigureAwait(false);
                if (!reply.IsSuccess)
                {
                    throw Failure(connectionId, name, call, reply);
                }

                try
                {
                    var found = ParameterMetadata.Find(reply.Body, name);
                    token = ParameterMetadata.NextToken(reply.Body);
                    if (found != null || token == null)
                    {
                        return found;
                    }
                }
                catch (JsonException ex)
                {
                    throw AwsErrors.Malformed(Service, "DescribeParameters", $"the reply for connection '{connectionId}' is not a parameter list", ex);
                }
            }

            return null;
        }

        /// <summary>
        /// -KmsKeyId over an existing parameter: it must be a SecureString under that key. A refresh never changes a
        /// parameter's type or key (Airflow's role may not be allowed to decrypt with another key), and writing the
        /// token unencrypted, or under a key the user did not name, would break what -KmsKeyId asked for: an error,
        /// not a warning nobody reads in a scheduled job's log. Nothing is written.
        /// </summary>
        private void CheckKey(string connectionId, string name, ParameterMetadata metadata)
        {
            if (string.IsNullOrEmpty(Store.KmsKeyId))
            {
                return;
            }

            if (!metadata.IsSecureString)
            {
                throw ParameterStoreErrors.NotEncrypted(connectionId, name, metadata.Type, Store.KmsKeyId!);
            }

            if (!KmsKeys.Same(Store.KmsKeyId!, metadata.KeyId, DefaultKey))
            {
                throw ParameterStoreErrors.KmsKeyMismatch(connectionId, name, metadata.KeyId ?? DefaultKey, Store.KmsKeyId!);
            }
        }

        /// <summary>
        /// -Tier when given; else Advanced when the value needs it (a warning: AWS charges for it, and it cannot go
        /// back); else the parameter's own tier; else (a new parameter) the account's default.
        /// </summary>
        private ParameterTier? ChooseTier(int size, string? existing, DockerConnection connection, string name, IOperationLog log)
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

            var kept = Enum.TryParse<ParameterTier>(existing, out var tier) ? tier : (ParameterTier?)null;
            if (size > StandardMaxBytes && kept != ParameterTier.Advanced)
            {
                log.Warning($"The value for connection '{connection.ConnectionId}' is {size} bytes, more than a Standard parameter holds ({StandardMaxBytes}); writing {name} as an Advanced parameter, which AWS charges for.");
                return ParameterTier.Advanced;
            }

            return kept;
        }

        /// <summary>A new parameter: no Overwrite (it must not go over one another writer just made), SecureString, our Description, the tags.</summary>
        private byte[] CreateBody(DockerConnection connection, string name, string value, ParameterTier? tier)
        {
            var json = new JsonText().StartObject()
                .Member("Name", name)
                .Member("Value", value)
                .Member("Type", "SecureString")
                .OptionalMember("Tier", tier?.ToString())
                .OptionalMember("KeyId", Store.KmsKeyId)
                .Member("Description", $"Airflow connection {connection.ConnectionId} (docker, {connection.Host}), written by EcrAirflow");
            if (Store.Tags.Count > 0)
            {
                Store.WriteTags(json);
            }

            return json.EndObject().ToUtf8();
        }

        /// <summary>An existing parameter: Overwrite, with its own type, key, Description and tier (no Tags: SSM refuses them with Overwrite).</summary>
        private static byte[] OverwriteBody(string name, string value, ParameterMetadata metadata, ParameterTier? tier) =>
            new JsonText().StartObject()
                .Member("Name", name)
                .Member("Value", value)
                .Member("Type", metadata.Type)
                .Name("Overwrite").Bool(true)
                .OptionalMember("Tier", tier?.ToString())
                .OptionalMember("KeyId", metadata.IsSecureString ? metadata.KeyId ?? DefaultKey : null)
                .OptionalMember("Description", metadata.Description)
                .EndObject().ToUtf8();

        private byte[] TagBody(string name) =>
            Store.WriteTags(new JsonText().StartObject()
                .Member("ResourceType", "Parameter")
                .Member("ResourceId", name))
            .EndObject().ToUtf8();

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
