using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;
using EcrAirflow.Airflow;
using EcrAirflow.AwsApi;

namespace EcrAirflow.Modes.SecretStores
{
    /// <summary>
    /// What the Secrets Manager and Parameter Store modes share, used by both targets: a name per connection
    /// (&lt;prefix&gt;&lt;separator&gt;&lt;conn id&gt;, as Airflow's backends build it) checked before any call; the value in the
    /// -Format the backend reads; the sessions per region (<see cref="AwsSessions"/>); calls whose secrets are masked
    /// in whatever AWS answers; and the result objects.
    /// </summary>
    internal sealed class SecretStore
    {
        private readonly Action<string, string> _checkName;

        /// <param name="checkName">The store's own name rule: (name, connection id) → throws its error.</param>
        public SecretStore(string mode, string scheme, AwsService service, AwsSessionRequest aws, string prefix, string separator,
            ConnectionFormat format, string? kmsKeyId, Hashtable? tags, Action<string, string> checkName, IAwsBackend? backend)
        {
            Mode = mode;
            Scheme = scheme;
            Service = service;
            Prefix = prefix.TrimEnd('/');
            Separator = separator;
            Format = format;
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

        /// <summary>An AWS call; when it carries a connection's value, every form of the token is masked in what AWS answers.</summary>
        public AwsCall Call(string operation, byte[] body, string permission, DockerConnection? connection = null, string? value = null)
        {
            var call = new AwsCall(operation, body, permission);
            if (connection != null)
            {
                call.Redactor.AddPair(connection.Login, connection.RevealPassword());
            }

            call.Redactor.Add(value);
            return call;
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
            : actions + " (and kms:Encrypt and kms:GenerateDataKey on the key " + KmsKeyId + ")";

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
