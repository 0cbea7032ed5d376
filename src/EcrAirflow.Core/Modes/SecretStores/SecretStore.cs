using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Modes.SecretStores
{
    /// <summary>
    /// What the Secrets Manager and Parameter Store modes share, used by both targets: a name per connection
    /// (&lt;prefix&gt;&lt;separator&gt;&lt;conn id&gt;, as Airflow's backends build it) checked before any call; the value to
    /// write over what the name holds (<see cref="ValueOver"/>: merged, in its own form unless -Format was typed);
    /// the refusal of what is not a Docker connection; the sessions per region (<see cref="AwsSessions"/>); calls
    /// whose secrets are masked in whatever AWS answers; and the result objects.
    /// </summary>
    internal sealed class SecretStore
    {
        private readonly Action<string, string> _checkName;

        /// <param name="checkName">The store's own name rule: (name, connection id) → throws its error.</param>
        public SecretStore(string mode, string scheme, AwsService service, AwsSessionRequest aws, string prefix, string separator,
            ConnectionFormat format, bool formatGiven, string? kmsKeyId, Hashtable? tags, Action<string, string> checkName, IAwsBackend? backend)
        {
            Mode = mode;
            Scheme = scheme;
            Service = service;
            Prefix = prefix.TrimEnd('/');
            Separator = separator;
            Format = format;
            FormatGiven = formatGiven;
            KmsKeyId = kmsKeyId;
            Tags = SecretStoreErrors.TagList(tags);
            Sessions = new AwsSessions(service, aws, backend);
            _checkName = checkName;
        }

        public string Mode { get; }

        /// <summary>"secretsmanager" or "ssm", the first part of a result's Target.</summary>
        public string Scheme { get; }

        public AwsService Service { get; }

        public string Prefix { get; }

        public string Separator { get; }

        public ConnectionFormat Format { get; }

        /// <summary>Whether the user typed -Format (else a stored value keeps its own form, JSON or URI).</summary>
        public bool FormatGiven { get; }

        public string? KmsKeyId { get; }

        /// <summary>Tags for a secret or parameter that is created (existing ones keep theirs).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Tags { get; }

        public AwsSessions Sessions { get; }

        /// <summary>"secretsmanager:&lt;prefix&gt;"; a result names the region too.</summary>
        public string Target => $"{Scheme}:{Prefix}";

        /// <summary>The secret's or parameter's name, checked against the store's rules (throws before any call).</summary>
        public string NameOf(string connectionId)
        {
            var name = Prefix.Length == 0 ? connectionId : Prefix + Separator + connectionId;
            _checkName(name, connectionId);
            return name;
        }

        /// <summary>Where a connection is, safe to print: secretsmanager:&lt;region&gt;:&lt;name&gt;.</summary>
        public string Location(IAwsSession session, string name) => $"{Scheme}:{session.Region}:{name}";

        /// <summary>
        /// An AWS call; every form of the token it carries, and of the value and password the name held before, is
        /// masked in what AWS answers (a message may quote a value; moto's DescribeParameters returns it).
        /// </summary>
        public AwsCall Call(string operation, byte[] body, string permission, DockerConnection? connection = null, string? value = null, StoredConnection? stored = null)
        {
            var call = new AwsCall(operation, body, permission);
            if (connection != null)
            {
                call.Redactor.AddPair(connection.Login, connection.RevealPassword());
            }

            call.Redactor.Add(value);
            if (stored != null)
            {
                call.Redactor.Add(stored.Raw);
                if (stored.Password != null)
                {
                    call.Redactor.Add(SecureText.Reveal(stored.Password));
                }
            }

            return call;
        }

        /// <summary>
        /// The value to write for <paramref name="connection"/> over what the name holds: what a refresh owns (host,
        /// login, password, the expiry note, -Email/-Reauth) merged into a stored Docker connection, everything else
        /// kept; a new value when there is none, or when the user replaces what is not a Docker connection.
        /// </summary>
        /// <exception cref="EcrAirflowException">NotDockerConnection: the name holds something else and -ReplaceNonDocker was not given.</exception>
        public string ValueOver(StoredConnection stored, DockerConnection connection, bool includeDescription, IOperationLog log)
        {
            if (!stored.MayBeReplacedBy(connection))
            {
                throw ModeErrors.NotDocker(stored);
            }

            if (stored.Kind == StoredKind.NotDocker)
            {
                log.Warning($"{stored.Location} holds {stored.Type ?? "something else"}, not a Docker connection; replacing it (-ReplaceNonDocker). Its earlier value stays in the store's version history.");
            }

            return ConnectionMerge.Value(stored, connection, Format, FormatGiven, includeDescription);
        }

        /// <summary>Tags as the AWS JSON APIs take them: "Tags": [{"Key", "Value"}, …].</summary>
        public JsonText WriteTags(JsonText json)
        {
            json.Name("Tags").StartArray();
            foreach (var tag in Tags)
            {
                json.StartObject().Member("Key", tag.Key).Member("Value", tag.Value).EndObject();
            }

            return json.EndArray();
        }

        public AirflowConnectionSyncResult Result(DockerConnection connection, IAwsSession session, string name, SyncAction action,
            string? versionId = null, long? version = null, string? tier = null) =>
            new AirflowConnectionSyncResult
            {
                ConnectionId = connection.ConnectionId,
                Mode = Mode,
                Target = Location(session, name),
                Action = action,
                Registry = connection.Host,
                ExpiresAt = connection.ExpiresAt,
                VersionId = versionId,
                Version = version,
                Tier = tier,
            };

        /// <summary>The permission text for an access-denied hint, with the KMS actions when a customer key is used.</summary>
        public string Permission(string actions) => string.IsNullOrEmpty(KmsKeyId)
            ? actions
            : actions + " (and kms:Decrypt, kms:Encrypt and kms:GenerateDataKey on the key " + KmsKeyId + ")";

        /// <summary>A string member of a JSON reply, or null (a reply without it is not what the API promises).</summary>
        public static string? ReplyString(AwsReply reply, params string[] path)
        {
            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                var element = doc.RootElement;
                foreach (var name in path)
                {
                    if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                    {
                        return null;
                    }
                }

                return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>Whether a JSON reply has a member (of any kind) at this path.</summary>
        public static bool ReplyHas(AwsReply reply, params string[] path)
        {
            try
            {
                using var doc = JsonDocument.Parse(reply.Body);
                var element = doc.RootElement;
                foreach (var name in path)
                {
                    if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                    {
                        return false;
                    }
                }

                return element.ValueKind != JsonValueKind.Null;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
