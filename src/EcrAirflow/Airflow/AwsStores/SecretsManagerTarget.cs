using System;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Aws;
using EcrAirflow.Internal;

namespace EcrAirflow.Airflow.AwsStores
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
    internal sealed class SecretsManagerTarget : SecretStoreTarget
    {
        /// <summary>Secrets Manager's limit for a SecretString.</summary>
        internal const int MaxValueBytes = 65536;

        private static readonly Regex NamePattern = new Regex(@"\A[A-Za-z0-9/_+=.@-]{1,512}\z", RegexOptions.CultureInvariant);

        public SecretsManagerTarget(SyncOptions options, IAwsBackend? backend = null)
            : base(options, AwsService.SecretsManager, backend)
        {
            if (Separator.Length == 0)
            {
                throw new EcrAirflowException("InvalidSeparator", FailureKind.InvalidArgument,
                    "-Separator is empty.", "Use the backend's sep (default '/').");
            }
        }

        public override string Mode => "SecretsManager";

        protected override string DefaultPrefix => "airflow/connections";

        protected override string Scheme => "secretsmanager";

        protected override string Activity => "Writing Airflow connections to AWS Secrets Manager";

        protected override string ValueOf(DockerConnection connection) => Options.Format == ConnectionFormat.Json
            ? ConnectionJson.Object(connection, includeDescription: false)
            : EnvironmentVariables.ConnectionUri.Build(connection);

        protected override void CheckName(string name, DockerConnection connection)
        {
            if (!NamePattern.IsMatch(name))
            {
                throw new EcrAirflowException("SecretsManagerInvalidName", FailureKind.InvalidArgument,
                    $"The secret name '{ConnectionInput.Printable(name)}' for connection '{connection.ConnectionId}' is not valid in Secrets Manager: at most 512 characters of ASCII letters, digits and /_+=.@-.",
                    "Use a connection id and -ConnectionsPrefix of ASCII letters, digits and _ . - / only.")
                { TargetObject = connection.ConnectionId };
            }
        }

        protected override async Task<AirflowConnectionSyncResult> WriteOneAsync(IAwsSession session, DockerConnection connection, string name, string value, IOperationLog log, CancellationToken cancellationToken)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
            {
                throw new EcrAirflowException("SecretsManagerValueTooLarge", FailureKind.LimitsExceeded,
                    $"The value for connection '{connection.ConnectionId}' is larger than the 64 KB Secrets Manager stores; nothing was written.",
                    "Drop -Email or shorten -Description; an ECR token alone always fits.")
                { TargetObject = connection.ConnectionId };
            }

            log.Verbose($"Writing secret {name} in {session.Region} ({Options.Format}).");
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
            var create = Call("CreateSecret", CreateBody(connection, name, value), Permission("secretsmanager:CreateSecret" + (Options.Tags.Count > 0 ? " and secretsmanager:TagResource" : string.Empty)), connection, value);
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
            return session.SendAsync(Call("PutSecretValue", body, Permission("secretsmanager:PutSecretValue"), connection, value), log, cancellationToken);
        }

        private byte[] CreateBody(DockerConnection connection, string name, string value)
        {
            var json = new JsonText().StartObject()
                .Member("Name", name)
                .Member("SecretString", value)
                .Member("Description", $"Airflow connection {connection.ConnectionId} (docker, {connection.Host}), written by EcrAirflow")
                .Member("ClientRequestToken", Guid.NewGuid().ToString("D"))
                .OptionalMember("KmsKeyId", Options.KmsKeyId);
            if (Options.Tags.Count > 0)
            {
                json.Name("Tags").StartArray();
                foreach (var tag in Options.Tags)
                {
                    json.StartObject().Member("Key", tag.Key).Member("Value", tag.Value).EndObject();
                }

                json.EndArray();
            }

            return json.EndObject().ToUtf8();
        }

        private AirflowConnectionSyncResult Written(DockerConnection connection, IAwsSession session, string name, SyncAction action, AwsReply reply)
        {
            var result = Result(connection, session, name, action);
            result.VersionId = ReadVersionId(reply, connection);
            return result;
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
            EcrAirflowException error = reply.ErrorCode switch
            {
                "InvalidRequestException" when (reply.ErrorMessage ?? string.Empty).IndexOf("deletion", StringComparison.OrdinalIgnoreCase) >= 0 =>
                    AwsErrors.Error("SecretsManagerSecretPendingDeletion", FailureKind.InvalidOperation, Service, call, reply,
                        $"Restore it first (aws secretsmanager restore-secret --secret-id {name}), or choose another -ConnectionsPrefix; EcrAirflow never restores or deletes a secret.",
                        $"The secret {name} for connection '{connection.ConnectionId}' is scheduled for deletion, so no new value can be written to it ({reply.ErrorCode}{(reply.RequestId != null ? ", request id " + reply.RequestId : string.Empty)})."),
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
            return new EcrAirflowException(error.ErrorId, error.Kind, error.Message, error.Hint) { RequestId = error.RequestId, TargetObject = connection.ConnectionId };
        }
    }
}
