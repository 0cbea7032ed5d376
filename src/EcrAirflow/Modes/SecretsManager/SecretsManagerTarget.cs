using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Airflow;
using EcrAirflow.AwsApi;
using EcrAirflow.Internal;
using EcrAirflow.Modes.SecretStores;

namespace EcrAirflow.Modes.SecretsManager
{
    /// <summary>
    /// -Mode SecretsManager: one secret per connection where the amazon provider's SecretsManagerBackend reads
    /// it (&lt;connections_prefix&gt;&lt;sep&gt;&lt;conn_id&gt;, defaults airflow/connections and /). An upsert without a gap:
    /// PutSecretValue on the existing secret (a new AWSCURRENT version; the previous one stays as AWSPREVIOUS),
    /// CreateSecret when there is none, PutSecretValue again when another writer created it meanwhile. Never a delete.
    /// </summary>
    /// <remarks>
    /// For a JSON value the backend keeps only conn_type, host, login, password, schema, port and extra (and
    /// their aliases), so no description is written into the value; the secret's own Description names the module.
    /// </remarks>
    internal sealed class SecretsManagerTarget : IConnectionTarget
    {
        /// <summary>Secrets Manager's limit for a SecretString.</summary>
        internal const int MaxValueBytes = 65536;

        private static readonly Regex NamePattern = new Regex(@"\A[A-Za-z0-9/_+=.@-]{1,512}\z", RegexOptions.CultureInvariant);

        private readonly SecretStore _store;

        public SecretsManagerTarget(SecretsManagerParameters parameters, ModeContext context, IAwsBackend? backend = null)
        {
            if (string.IsNullOrEmpty(parameters.Separator))
            {
                throw SecretsManagerErrors.InvalidSeparator();
            }

            _store = new SecretStore("SecretsManager", "secretsmanager", AwsService.SecretsManager, context.RequireAws(), parameters.ConnectionsPrefix,
                parameters.Separator, parameters.Format, parameters.KmsKeyId, parameters.Tag, CheckName, backend);
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
            OneByOne.WriteAsync(connections, "Writing Airflow connections to AWS Secrets Manager", c => WriteOneAsync(c, log, cancellationToken), log, cancellationToken);

        /// <summary>GetSecretValue per id (the value AWSCURRENT holds): a connection, something else, or nothing.</summary>
        public Task<ReadOutcome> ReadAsync(IReadOnlyList<ConnectionRef> connections, IOperationLog log, CancellationToken cancellationToken) =>
            OneByOne.ReadAsync(connections, "Reading Airflow connections from AWS Secrets Manager", c => ReadOneAsync(c, log, cancellationToken), log, cancellationToken);

        /// <summary>The value Airflow's backend reads: JSON (Airflow 2.3+) or a connection URI. The backend keeps only known keys, so no description.</summary>
        private string ValueOf(DockerConnection connection) => _store.Format == ConnectionFormat.Json
            ? ConnectionJson.Object(connection, includeDescription: false)
            : ConnectionUri.Build(connection);

        private static void CheckName(string name, string connectionId)
        {
            if (!NamePattern.IsMatch(name))
            {
                throw SecretsManagerErrors.InvalidName(name, connectionId);
            }
        }

        private async Task<StoredConnection> ReadOneAsync(ConnectionRef connection, IOperationLog log, CancellationToken cancellationToken)
        {
            var name = _store.NameOf(connection.ConnectionId);
            var session = _store.Sessions.For(connection.Region, log);
            var location = _store.Location(session, name);
            log.Verbose($"Reading secret {name} in {session.Region}.");
            var body = new JsonText().StartObject().Member("SecretId", name).EndObject().ToUtf8();
            var call = _store.Call("GetSecretValue", body, "secretsmanager:GetSecretValue" + (string.IsNullOrEmpty(_store.KmsKeyId) ? string.Empty : " (and kms:Decrypt on the key)"));
            var reply = await session.SendAsync(call, log, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                if (reply.ErrorCode == "ResourceNotFoundException")
                {
                    return StoredConnection.Missing(connection.ConnectionId, location);
                }

                throw Failure(connection.ConnectionId, name, "GetSecretValue", reply, call);
            }

            var text = SecretStore.ReplyString(reply, "SecretString");
            if (text != null)
            {
                call.Redactor.Add(text);
                return ConnectionDocument.Parse(connection.ConnectionId, text, location);
            }

            if (SecretStore.ReplyHas(reply, "SecretBinary"))
            {
                return StoredConnection.NotDocker(connection.ConnectionId, location, "a SecretBinary");
            }

            throw AwsErrors.Malformed(Service, "GetSecretValue", $"the reply for connection '{connection.ConnectionId}' has neither SecretString nor SecretBinary");
        }

        private async Task<AirflowConnectionSyncResult> WriteOneAsync(DockerConnection connection, IOperationLog log, CancellationToken cancellationToken)
        {
            var name = _store.NameOf(connection.ConnectionId);
            var session = _store.Sessions.For(connection.Region, log);
            var value = ValueOf(connection);
            if (System.Text.Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
            {
                throw SecretsManagerErrors.ValueTooLarge(connection.ConnectionId);
            }

            log.Verbose($"Writing secret {name} in {session.Region} ({_store.Format}).");
            var put = await PutAsync(session, connection, name, value, log, cancellationToken).ConfigureAwait(false);
            if (put.IsSuccess)
            {
                return Written(connection, session, name, SyncAction.Updated, put);
            }

            if (put.ErrorCode != "ResourceNotFoundException")
            {
                throw Failure(connection, name, "PutSecretValue", put);
            }

            log.Verbose($"Secret {name} does not exist yet; creating it.");
            var create = _store.Call("CreateSecret", CreateBody(connection, name, value), _store.Permission("secretsmanager:CreateSecret" + (_store.Tags.Count > 0 ? " and secretsmanager:TagResource" : string.Empty)), connection, value);
            var created = await session.SendAsync(create, log, cancellationToken).ConfigureAwait(false);
            if (created.IsSuccess)
            {
                return Written(connection, session, name, SyncAction.Created, created);
            }

            if (created.ErrorCode != "ResourceExistsException")
            {
                throw Failure(connection, name, "CreateSecret", created);
            }

            // Another writer created it between our PutSecretValue and CreateSecret: it exists now.
            log.Verbose($"Secret {name} was created by someone else meanwhile; writing a new version.");
            var again = await PutAsync(session, connection, name, value, log, cancellationToken).ConfigureAwait(false);
            if (again.IsSuccess)
            {
                return Written(connection, session, name, SyncAction.Updated, again);
            }

            throw Failure(connection, name, "PutSecretValue", again);
        }

        private Task<AwsReply> PutAsync(IAwsSession session, DockerConnection connection, string name, string value, IOperationLog log, CancellationToken cancellationToken)
        {
            var body = new JsonText().StartObject()
                .Member("SecretId", name)
                .Member("SecretString", value)
                .Member("ClientRequestToken", Guid.NewGuid().ToString("D"))
                .EndObject().ToUtf8();
            return session.SendAsync(_store.Call("PutSecretValue", body, _store.Permission("secretsmanager:PutSecretValue"), connection, value), log, cancellationToken);
        }

        private byte[] CreateBody(DockerConnection connection, string name, string value)
        {
            var json = new JsonText().StartObject()
                .Member("Name", name)
                .Member("SecretString", value)
                .Member("Description", $"Airflow connection {connection.ConnectionId} (docker, {connection.Host}), written by EcrAirflow")
                .Member("ClientRequestToken", Guid.NewGuid().ToString("D"))
                .OptionalMember("KmsKeyId", _store.KmsKeyId);
            if (_store.Tags.Count > 0)
            {
                json.Name("Tags").StartArray();
                foreach (var tag in _store.Tags)
                {
                    json.StartObject().Member("Key", tag.Key).Member("Value", tag.Value).EndObject();
                }

                json.EndArray();
            }

            return json.EndObject().ToUtf8();
        }

        private AirflowConnectionSyncResult Written(DockerConnection connection, IAwsSession session, string name, SyncAction action, AwsReply reply)
        {
            return _store.Result(connection, session, name, action, versionId: ReadVersionId(reply, connection));
        }

        /// <summary>PutSecretValue and CreateSecret both answer {"ARN","Name","VersionId",…}: anything else is not a write.</summary>
        private string ReadVersionId(AwsReply reply, DockerConnection connection)
        {
            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("VersionId", out var v)
                    && v.ValueKind == JsonValueKind.String
                    && !string.IsNullOrEmpty(v.GetString()))
                {
                    return v.GetString()!;
                }
            }
            catch (JsonException)
            {
            }

            throw AwsErrors.Malformed(Service, "PutSecretValue", $"the reply for connection '{connection.ConnectionId}' has no VersionId, so whether the secret was written is unknown");
        }

        private EcrAirflowException Failure(DockerConnection connection, string name, string operation, AwsReply reply)
        {
            var call = new AwsCall(operation, Array.Empty<byte>(), operation);
            call.Redactor.AddPair(connection.Login, connection.RevealPassword());
            return Failure(connection.ConnectionId, name, operation, reply, call);
        }

        private EcrAirflowException Failure(string connectionId, string name, string operation, AwsReply reply, AwsCall call)
        {
            EcrAirflowException error = reply.ErrorCode switch
            {
                "InvalidRequestException" when (reply.ErrorMessage ?? string.Empty).IndexOf("deletion", StringComparison.OrdinalIgnoreCase) >= 0 =>
                    AwsErrors.Error("SecretsManagerSecretPendingDeletion", FailureKind.InvalidOperation, Service, call, reply,
                        $"Restore it first (aws secretsmanager restore-secret --secret-id {name}), or choose another -ConnectionsPrefix; EcrAirflow never restores or deletes a secret.",
                        $"The secret {name} for connection '{connectionId}' is scheduled for deletion, so no new value can be written to it ({reply.ErrorCode}{(reply.RequestId != null ? ", request id " + reply.RequestId : string.Empty)})."),
                "InvalidRequestException" or "InvalidParameterException" or "ValidationException" =>
                    AwsErrors.Error("SecretsManagerInvalidRequest", FailureKind.InvalidArgument, Service, call, reply,
                        "Check -ConnectionsPrefix, -KmsKeyId and -Tag; the message from Secrets Manager says what it refused."),
                "EncryptionFailure" or "DecryptionFailure" or "KMSInvalidStateException" or "KMSAccessDeniedException" =>
                    AwsErrors.Error("SecretsManagerKmsFailure", FailureKind.PermissionDenied, Service, call, reply,
                        "Check -KmsKeyId, that the key is enabled, and that this identity may use it (kms:Encrypt and kms:GenerateDataKey)."),
                "LimitExceededException" =>
                    AwsErrors.Error("SecretsManagerLimitExceeded", FailureKind.LimitsExceeded, Service, call, reply,
                        "Secrets Manager refused another version or secret (a quota of the account); see the message."),
                _ => AwsErrors.Unexpected(Service, call, reply),
            };
            return new EcrAirflowException(error.ErrorId, error.Kind, error.Message, error.Hint) { RequestId = error.RequestId, TargetObject = connectionId };
        }
    }
}
