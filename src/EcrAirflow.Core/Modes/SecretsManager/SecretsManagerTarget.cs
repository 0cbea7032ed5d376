using System;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Modes.SecretStores;

namespace EcrAirflow.Core.Modes.SecretsManager
{
    /// <summary>
    /// -Mode SecretsManager: one secret per connection where the amazon provider's SecretsManagerBackend reads
    /// it (&lt;connections_prefix&gt;&lt;sep&gt;&lt;conn_id&gt;, defaults airflow/connections and /). A refresh reads the
    /// secret (GetSecretValue), then writes: PutSecretValue over a Docker connection, merged (a new AWSCURRENT
    /// version; the previous one stays as AWSPREVIOUS), CreateSecret when there is none. What is not a Docker
    /// connection is refused unchanged unless -ReplaceNonDocker. Never a delete.
    /// </summary>
    /// <remarks>
    /// For a JSON value the backend keeps only conn_type, host, login, password, schema, port and extra (and
    /// their aliases), so no description is written into the value (one the user put there is kept as it is);
    /// the secret's own Description, set on creation, names the module and is never changed afterwards.
    /// </remarks>
    internal sealed class SecretsManagerTarget : SecretStoreTarget
    {
        /// <summary>Secrets Manager's limit for a SecretString.</summary>
        internal const int MaxValueBytes = 65536;

        /// <summary>The key a secret created without a KmsKeyId is encrypted with (DescribeSecret then reports none).</summary>
        internal const string DefaultKey = "alias/aws/secretsmanager";

        private static readonly Regex NamePattern = new Regex(@"\A[A-Za-z0-9/_+=.@-]{1,512}\z", RegexOptions.CultureInvariant);


        public SecretsManagerTarget(SecretsManagerParameters parameters, ModeContext context, IAwsBackend? backend = null)
            : base(Open(parameters, context, backend))
        {
        }

        private static SecretStore Open(SecretsManagerParameters parameters, ModeContext context, IAwsBackend? backend)
        {
            if (string.IsNullOrEmpty(parameters.Separator))
            {
                throw SecretsManagerErrors.InvalidSeparator();
            }

            return new SecretStore("SecretsManager", "secretsmanager", AwsService.SecretsManager, context.RequireAws(), parameters.ConnectionsPrefix,
                parameters.Separator, parameters.Format, parameters.WasGiven(nameof(parameters.Format)), parameters.KmsKeyId, parameters.Tag, CheckName, backend);
        }

        protected override string WriteActivity => "Writing Airflow connections to AWS Secrets Manager";

        protected override string ReadActivity => "Reading Airflow connections from AWS Secrets Manager";

        /// <summary>What reading a secret takes (a customer managed key also needs kms:Decrypt).</summary>
        protected override string ReadPermission => "secretsmanager:GetSecretValue (and kms:Decrypt on the secret's key, when it is a customer managed key)";

        /// <summary>What a refresh takes: it reads the secret first, then writes it (or creates it).</summary>
        private string RefreshPermission => Store.Permission(
            "secretsmanager:GetSecretValue and secretsmanager:PutSecretValue (a refresh reads the secret before it writes), secretsmanager:CreateSecret for a new secret"
            + (Store.Tags.Count > 0 ? " with secretsmanager:TagResource" : string.Empty)
            + (string.IsNullOrEmpty(Store.KmsKeyId) ? string.Empty : ", and secretsmanager:DescribeSecret for -KmsKeyId"));

        private static void CheckName(string name, string connectionId)
        {
            if (!NamePattern.IsMatch(name))
            {
                throw SecretsManagerErrors.InvalidName(name, connectionId);
            }
        }

        protected override async Task<StoredConnection> ReadOneAsync(IAwsSession session, string name, string connectionId, string permission, IOperationLog log, CancellationToken cancellationToken)
        {
            var location = Store.Location(session, name);
            log.Verbose($"Reading secret {name} in {session.Region}.");
            var body = new JsonText().StartObject().Member("SecretId", name).EndObject().ToUtf8();
            var call = Store.Call("GetSecretValue", body, permission);
            var reply = await session.SendAsync(call, log, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                if (reply.ErrorCode == "ResourceNotFoundException")
                {
                    return StoredConnection.Missing(connectionId, location);
                }

                throw Failure(connectionId, name, reply, call);
            }

            var text = SecretStore.ReplyString(reply, "SecretString");
            if (text != null)
            {
                call.Redactor.Add(text);
                return ConnectionDocument.Parse(connectionId, text, location);
            }

            if (SecretStore.ReplyHas(reply, "SecretBinary"))
            {
                return StoredConnection.NotDocker(connectionId, location, "a SecretBinary");
            }

            throw AwsErrors.Malformed(Service, "GetSecretValue", $"the reply for connection '{connectionId}' has neither SecretString nor SecretBinary");
        }

        /// <summary>
        /// Reads, then writes over what is there. Another writer may delete or create the secret between two of our
        /// requests: a PutSecretValue that finds no secret creates it, a CreateSecret that finds one reads it again
        /// (it may not be a Docker connection, and what it holds is what to keep). Each turn is taken once; a secret
        /// that keeps changing under us is reported, not chased.
        /// </summary>
        protected override async Task<AirflowConnectionSyncResult> WriteOneAsync(DockerConnection connection, IOperationLog log, CancellationToken cancellationToken)
        {
            var name = Store.NameOf(connection.ConnectionId);
            var session = Store.Sessions.For(connection.Region, log);
            var stored = await ReadOneAsync(session, name, connection.ConnectionId, RefreshPermission, log, cancellationToken).ConfigureAwait(false);
            bool recreated = false, reread = false, keyChecked = false;
            while (true)
            {
                var value = Store.ValueOver(stored, connection, includeDescription: false, log);
                if (System.Text.Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
                {
                    throw SecretsManagerErrors.ValueTooLarge(connection.ConnectionId);
                }

                if (stored.Kind == StoredKind.Missing)
                {
                    log.Verbose($"Secret {name} does not exist yet; creating it in {session.Region} ({Store.Format}).");
                    var create = Store.Call("CreateSecret", CreateBody(connection, name, value), RefreshPermission, connection, value);
                    var created = await session.SendAsync(create, log, cancellationToken).ConfigureAwait(false);
                    if (created.IsSuccess)
                    {
                        return Written(connection, session, name, SyncAction.Created, created);
                    }

                    if (created.ErrorCode != "ResourceExistsException" || reread)
                    {
                        throw Failure(connection.ConnectionId, name, created, create);
                    }

                    log.Verbose($"Secret {name} was created by someone else meanwhile; reading it again.");
                    reread = true;
                    stored = await ReadOneAsync(session, name, connection.ConnectionId, RefreshPermission, log, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!keyChecked && !string.IsNullOrEmpty(Store.KmsKeyId))
                {
                    await CheckKeyAsync(session, name, connection.ConnectionId, stored, log, cancellationToken).ConfigureAwait(false);
                    keyChecked = true;
                }

                log.Verbose($"Writing secret {name} in {session.Region} ({FormOf(value)}).");
                var put = PutCall(connection, name, value, stored);
                var reply = await session.SendAsync(put, log, cancellationToken).ConfigureAwait(false);
                if (reply.IsSuccess)
                {
                    return Written(connection, session, name, SyncAction.Updated, reply);
                }

                if (reply.ErrorCode != "ResourceNotFoundException" || recreated)
                {
                    throw Failure(connection.ConnectionId, name, reply, put);
                }

                log.Verbose($"Secret {name} was deleted meanwhile; creating it again.");
                recreated = true;
                stored = StoredConnection.Missing(connection.ConnectionId, Store.Location(session, name));
            }
        }

        private static string FormOf(string value) => value.TrimStart().StartsWith("{", StringComparison.Ordinal) ? "Json" : "Uri";

        /// <summary>
        /// -KmsKeyId over an existing secret: the key it is encrypted with (DescribeSecret) must be the one asked for.
        /// An error rather than a warning: -KmsKeyId says who may decrypt the token (the key's policy decides that), so
        /// writing the token under another key would break what the user asked for, and a warning in a scheduled
        /// job's log is read by nobody. Nothing is written; the hint says how to move the secret to the key.
        /// </summary>
        private async Task CheckKeyAsync(IAwsSession session, string name, string connectionId, StoredConnection stored, IOperationLog log, CancellationToken cancellationToken)
        {
            var body = new JsonText().StartObject().Member("SecretId", name).EndObject().ToUtf8();
            var call = Store.Call("DescribeSecret", body, "secretsmanager:DescribeSecret (to compare -KmsKeyId with the secret's key)", stored: stored);
            var reply = await session.SendAsync(call, log, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                throw Failure(connectionId, name, reply, call);
            }

            var key = SecretStore.ReplyString(reply, "KmsKeyId");
            if (!KmsKeys.Same(Store.KmsKeyId!, key, DefaultKey))
            {
                throw SecretsManagerErrors.KmsKeyMismatch(connectionId, name, key ?? DefaultKey + " (the account's default key)", Store.KmsKeyId!);
            }

            log.Verbose($"Secret {name} is encrypted with {key ?? DefaultKey}, the -KmsKeyId given.");
        }

        private AwsCall PutCall(DockerConnection connection, string name, string value, StoredConnection stored)
        {
            var body = new JsonText().StartObject()
                .Member("SecretId", name)
                .Member("SecretString", value)
                .Member("ClientRequestToken", Guid.NewGuid().ToString("D"))
                .EndObject().ToUtf8();
            return Store.Call("PutSecretValue", body, RefreshPermission, connection, value, stored);
        }

        private byte[] CreateBody(DockerConnection connection, string name, string value)
        {
            var json = new JsonText().StartObject()
                .Member("Name", name)
                .Member("SecretString", value)
                .Member("Description", $"Airflow connection {connection.ConnectionId} (docker, {connection.Host}), written by EcrAirflow")
                .Member("ClientRequestToken", Guid.NewGuid().ToString("D"))
                .OptionalMember("KmsKeyId", Store.KmsKeyId);
            if (Store.Tags.Count > 0)
            {
                Store.WriteTags(json);
            }

            return json.EndObject().ToUtf8();
        }

        private AirflowConnectionSyncResult Written(DockerConnection connection, IAwsSession session, string name, SyncAction action, AwsReply reply)
        {
            return Store.Result(connection, session, name, action, versionId: ReadVersionId(reply, connection));
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

        /// <summary>What Secrets Manager answered, for one connection (the shared failures are mapped by the session).</summary>
        private EcrAirflowException Failure(string connectionId, string name, AwsReply reply, AwsCall call)
        {
            EcrAirflowException error = reply.ErrorCode switch
            {
                // AWS says "…marked for deletion", moto "…currently marked deleted", for every call on such a secret.
                "InvalidRequestException" when (reply.ErrorMessage ?? string.Empty).IndexOf("delet", StringComparison.OrdinalIgnoreCase) >= 0 =>
                    AwsErrors.Error("SecretsManagerSecretPendingDeletion", FailureKind.InvalidOperation, Service, call, reply,
                        $"Restore it first (aws secretsmanager restore-secret --secret-id {name}), or choose another -ConnectionsPrefix; EcrAirflow never restores or deletes a secret.",
                        $"The secret {name} for connection '{connectionId}' is scheduled for deletion, so it can be neither read nor written ({reply.ErrorCode}{(reply.RequestId != null ? ", request id " + reply.RequestId : string.Empty)})."),
                "InvalidRequestException" or "InvalidParameterException" or "ValidationException" =>
                    AwsErrors.Error("SecretsManagerInvalidRequest", FailureKind.InvalidArgument, Service, call, reply,
                        "Check -ConnectionsPrefix, -KmsKeyId and -Tag; the message from Secrets Manager says what it refused."),
                "EncryptionFailure" or "DecryptionFailure" or "KMSInvalidStateException" or "KMSAccessDeniedException" =>
                    AwsErrors.Error("SecretsManagerKmsFailure", FailureKind.PermissionDenied, Service, call, reply,
                        "Check -KmsKeyId (or the secret's own key), that the key is enabled, and that this identity may use it (kms:Decrypt to read the secret, kms:Encrypt and kms:GenerateDataKey to write it)."),
                "LimitExceededException" =>
                    AwsErrors.Error("SecretsManagerLimitExceeded", FailureKind.LimitsExceeded, Service, call, reply,
                        "Secrets Manager refused another version or secret (a quota of the account); see the message."),
                _ => AwsErrors.Unexpected(Service, call, reply),
            };
            return new EcrAirflowException(error.ErrorId, error.Kind, error.Message, error.Hint) { RequestId = error.RequestId, TargetObject = connectionId };
        }
    }
}
