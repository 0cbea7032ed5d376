using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using Xunit;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// moto with SigV4 and IAM checking on. build.ps1 starts one and passes its info file in
    /// ECRAIRFLOW_TEST_MOTO; a bare `dotnet test` starts its own through tests/peers/moto_peer.py.
    /// </summary>
    public sealed class MotoFixture : IDisposable
    {
        private readonly Process? _process;
        private readonly string? _ownInfo; // the info file this fixture's own moto wrote (deleted on Dispose)

        public MotoFixture()
        {
            var info = Environment.GetEnvironmentVariable("ECRAIRFLOW_TEST_MOTO");
            if (string.IsNullOrEmpty(info) || !File.Exists(info))
            {
                info = Path.Combine(Path.GetTempPath(), "ecrairflow-moto-" + Guid.NewGuid().ToString("n") + ".json");
                _ownInfo = info;
                _process = PeerProcess.StartPython("moto_peer.py", info, "moto did not start (is moto[server] installed?)");
            }

            using var doc = JsonDocument.Parse(File.ReadAllText(info));
            var root = doc.RootElement;
            Endpoint = new Uri(root.GetProperty("endpoint").GetString()!);
            AccountId = root.GetProperty("accountId").GetString()!;
            RoleArn = root.GetProperty("roleArn").GetString()!;
            Allowed = (root.GetProperty("allowed").GetProperty("accessKeyId").GetString()!, root.GetProperty("allowed").GetProperty("secretAccessKey").GetString()!);
            Denied = Key(root, "denied");
            Admin = Key(root, "admin");
            Writer = Key(root, "writer");
            EcrOnly = Key(root, "ecrOnly");
        }

        private static (string AccessKeyId, string SecretAccessKey) Key(JsonElement root, string user) =>
            (root.GetProperty(user).GetProperty("accessKeyId").GetString()!, root.GetProperty(user).GetProperty("secretAccessKey").GetString()!);

        public Uri Endpoint { get; }

        public string AccountId { get; }

        public string RoleArn { get; }

        public (string AccessKeyId, string SecretAccessKey) Allowed { get; }

        public (string AccessKeyId, string SecretAccessKey) Denied { get; }

        /// <summary>May do anything: sets up what a test reads (tests/peers/airflow/seed_backend_value.py).</summary>
        public (string AccessKeyId, string SecretAccessKey) Admin { get; }

        /// <summary>An ECR token plus what the SecretsManager and ParameterStore modes need.</summary>
        public (string AccessKeyId, string SecretAccessKey) Writer { get; }

        /// <summary>ecr:GetAuthorizationToken only.</summary>
        public (string AccessKeyId, string SecretAccessKey) EcrOnly { get; }

        /// <summary>
        /// The ECR tokens the peer issued, oldest first (its control API; every token is new): to learn what a
        /// test was given, to find it stored or never printed. <paramref name="accessKeyId"/> keeps one caller's.
        /// </summary>
        public IReadOnlyList<IssuedEcrToken> IssuedEcrTokens(string? accessKeyId = null)
        {
            var uri = new Uri(Endpoint, "/_peer/ecr/tokens" + (accessKeyId == null ? string.Empty : "?accessKeyId=" + Uri.EscapeDataString(accessKeyId)));
            using var client = ControlClient();
            using var doc = JsonDocument.Parse(client.GetStringAsync(uri).GetAwaiter().GetResult());
            var list = new List<IssuedEcrToken>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                list.Add(new IssuedEcrToken(
                    item.GetProperty("accessKeyId").GetString()!,
                    item.GetProperty("registryId").GetString()!,
                    item.GetProperty("password").GetString()!,
                    DateTimeOffset.FromUnixTimeSeconds(item.GetProperty("expiresAt").GetInt64())));
            }

            return list;
        }

        /// <summary>The lifetime of the ECR tokens the peer issues from now on (1 to 43200 s); for every caller of this moto.</summary>
        public void SetEcrTokenLifetime(int seconds)
        {
            using var client = ControlClient();
            using var body = new StringContent("{\"seconds\":" + seconds + "}", Encoding.UTF8, "application/json");
            client.PutAsync(new Uri(Endpoint, "/_peer/ecr/token-lifetime"), body).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        }

        // Straight to the loopback peer, whatever proxy a test set in the environment.
        private static HttpClient ControlClient() => new HttpClient(new HttpClientHandler { UseProxy = false });

        public void Dispose()
        {
            PeerProcess.Stop(_process);

            if (_ownInfo != null)
            {
                File.Delete(_ownInfo); // by exact path: the file named above, in the temp folder
            }
        }
    }

    /// <summary>One token the moto peer issued: the registry password (base64 of ECR's JSON document) and its expiry.</summary>
    public sealed record IssuedEcrToken(string AccessKeyId, string RegistryId, string Password, DateTimeOffset ExpiresAt);

    [CollectionDefinition("moto")]
    public sealed class MotoCollection : ICollectionFixture<MotoFixture>
    {
    }
}
