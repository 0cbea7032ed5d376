using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.Mwaa;
using EcrAirflow.Tests.Rest;

namespace EcrAirflow.Tests.Mwaa
{
    /// <summary>
    /// The MWAA peer (tests/peers/mwaa_peer.py: botocore checks every signature) in front of the Airflow emulator
    /// as Airflow 2 (environment af2, 2.10.3) and as an Airflow 3.0 release (af3, 3.0.6, whose bulk update
    /// ignores update_mask), with one key allowed both MWAA actions. Mwaa mode's targets are built over it with
    /// the module's real AWS side.
    /// </summary>
    public sealed class MwaaPeerFixture : IDisposable
    {
        public const string AccessKeyId = "AKIAMWAAREADTEST0001";
        public const string SecretAccessKey = "mwaa/Read+Secret-Key01";

        private readonly Process _process;
        private readonly string _info;
        private readonly HttpClient _control = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        public MwaaPeerFixture()
        {
            Airflow2 = new Airflow2Emulator();
            Airflow3 = new Airflow3IgnoringBulkMaskEmulator();
            _info = Path.Combine(Path.GetTempPath(), "ecrairflow-mwaa-" + Guid.NewGuid().ToString("n") + ".info"); // not *.json: the suites watch ecrairflow-*.json in the temp folder
            _process = PeerProcess.StartPython("mwaa_peer.py", _info, "The MWAA peer did not start (is botocore installed?).");

            using (var doc = JsonDocument.Parse(File.ReadAllText(_info)))
            {
                Endpoint = new Uri(doc.RootElement.GetProperty("endpoint").GetString()!);
            }

            Control("keys", new JsonObject
            {
                ["accessKeyId"] = AccessKeyId,
                ["secretAccessKey"] = SecretAccessKey,
                ["actions"] = new JsonArray("airflow:GetEnvironment", "airflow:InvokeRestApi"),
            });
            foreach (var (name, version, airflow) in new[] { ("af2", "2.10.3", (AirflowEmulatorFixture)Airflow2), ("af3", "3.0.6", Airflow3) })
            {
                Control("environments", new JsonObject
                {
                    ["name"] = name,
                    ["region"] = "us-east-1",
                    ["airflowVersion"] = version,
                    ["airflowUrl"] = airflow.Url.ToString().TrimEnd('/'),
                    ["airflowUser"] = AirflowEmulatorFixture.User,
                    ["airflowPassword"] = AirflowEmulatorFixture.Password,
                });
            }
        }

        public Uri Endpoint { get; }

        public Airflow2Emulator Airflow2 { get; }

        public Airflow3IgnoringBulkMaskEmulator Airflow3 { get; }

        public AirflowEmulatorFixture Airflow(int version) => version == 2 ? Airflow2 : Airflow3;

        /// <summary>Mwaa mode on environment af2 or af3, signed with the allowed key, through the module's AWS assembly.</summary>
        internal MwaaTarget Target(int version) => new MwaaTarget(
            new MwaaParameters { MwaaEnvironmentName = "af" + version, ApiVersion = AirflowApiVersion.Auto },
            new ModeContext
            {
                Aws = new AwsSessionRequest
                {
                    Region = "us-east-1",
                    EndpointUrl = Endpoint,
                    Credentials = new AwsCredentialRequest { AccessKeyId = AccessKeyId, SecretAccessKey = SecretAccessKey },
                    RetryBaseDelay = TimeSpan.FromMilliseconds(20),
                },
            });

        /// <summary>"METHOD path -> status" for each InvokeRestApi call the peer answered (GetEnvironment calls left out).</summary>
        public List<string> InvokeLines()
        {
            using var reply = _control.GetAsync(new Uri(Endpoint, "/_peer/requests")).GetAwaiter().GetResult();
            reply.EnsureSuccessStatusCode();
            var list = JsonNode.Parse(reply.Content.ReadAsStringAsync().GetAwaiter().GetResult())!.AsArray();
            return list.OfType<JsonObject>()
                .Where(r => (string?)r["operation"] == "InvokeRestApi")
                .Select(r => $"{r["restApiMethod"]} {r["restApiPath"]} -> {r["restApiStatusCode"]}")
                .ToList();
        }

        /// <summary>The whole request log, as text (to search it for secrets).</summary>
        public string RequestLogText()
        {
            using var reply = _control.GetAsync(new Uri(Endpoint, "/_peer/requests")).GetAwaiter().GetResult();
            return reply.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        }

        public void Reset()
        {
            using var reply = _control.DeleteAsync(new Uri(Endpoint, "/_peer/requests")).GetAwaiter().GetResult();
            reply.EnsureSuccessStatusCode();
            Airflow2.Reset();
            Airflow3.Reset();
        }

        public void Dispose()
        {
            PeerProcess.Stop(_process);
            File.Delete(_info); // by exact path: the info file this fixture named, in the temp folder
            _control.Dispose();
            Airflow2.Dispose();
            Airflow3.Dispose();
        }

        private void Control(string path, JsonObject body)
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var reply = _control.PostAsync(new Uri(Endpoint, "/_peer/" + path), content).GetAwaiter().GetResult();
            reply.EnsureSuccessStatusCode();
        }
    }
}
