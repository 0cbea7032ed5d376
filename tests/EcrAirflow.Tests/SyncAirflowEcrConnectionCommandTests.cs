using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using Xunit;
using EcrAirflow.Commands;
using EcrAirflow.Core.Commands;
using EcrAirflow.Tests.Rest;

namespace EcrAirflow.Tests
{
    /// <summary>Sync-AirflowEcrConnection end to end in an in-process runspace, against the Airflow 3 emulator.</summary>
    public sealed class SyncAirflowEcrConnectionCommandTests : IClassFixture<Airflow3Emulator>
    {
        private readonly Airflow3Emulator _airflow;

        public SyncAirflowEcrConnectionCommandTests(Airflow3Emulator airflow)
        {
            _airflow = airflow;
            _airflow.Reset();
        }

        private static PowerShell NewShell()
        {
            var iss = InitialSessionState.CreateDefault2();
            iss.Commands.Add(new SessionStateCmdletEntry("Sync-AirflowEcrConnection", typeof(SyncAirflowEcrConnectionCommand), null));
            return PowerShell.Create(iss);
        }

        private static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

        private static PSObject Input(string region, string token)
        {
            var o = new PSObject();
            o.Properties.Add(new PSNoteProperty("Registry", $"https://123456789012.dkr.ecr.{region}.amazonaws.com"));
            o.Properties.Add(new PSNoteProperty("UserName", "AWS"));
            o.Properties.Add(new PSNoteProperty("Password", Secure(token)));
            o.Properties.Add(new PSNoteProperty("ExpiresAt", DateTimeOffset.UtcNow.AddHours(12)));
            o.Properties.Add(new PSNoteProperty("Region", region));
            return o;
        }

        private (List<PSObject> Output, List<ErrorRecord> Errors) Run(string extra, PSObject[] input, string password = AirflowEmulatorFixture.Password, Uri? url = null)
        {
            using var ps = NewShell();
            ps.AddScript("param($In, $Url, $Cred) $In | Sync-AirflowEcrConnection -AirflowUrl $Url -AirflowCredential $Cred " + extra)
                .AddParameter("In", input)
                .AddParameter("Url", url ?? _airflow.Url)
                .AddParameter("Cred", new PSCredential(AirflowEmulatorFixture.User, Secure(password)));
            var errors = new List<ErrorRecord>();
            List<PSObject> output;
            try
            {
                output = ps.Invoke().ToList();
            }
            catch (RuntimeException ex)
            {
                output = new List<PSObject>();
                errors.Add(ex.ErrorRecord);
            }

            errors.AddRange(ps.Streams.Error);
            return (output, errors);
        }

        [Fact]
        public void Delay_bound_ids_write_many_registries_in_one_bulk_request()
        {
            var suffix = Guid.NewGuid().ToString("N").Substring(0, 6);
            var tokens = new[] { "tok+/=en-a", "tok+/=en-b", "tok+/=en-c" };
            var regions = new[] { "eu-west-1", "us-east-1", "ap-south-1" };
            var input = regions.Select((r, i) => Input(r, tokens[i])).ToArray();

            var (output, errors) = Run("-ConnectionId { \"ecr_$($_.Region)_" + suffix + "\" } -ApiVersion V2", input);

            Assert.Empty(errors);
            var results = output.Select(o => Assert.IsType<AirflowConnectionSyncResult>(o.BaseObject)).ToList();
            Assert.Equal(regions.Select(r => $"ecr_{r}_{suffix}"), results.Select(r => r.ConnectionId));
            Assert.All(results, r => Assert.Equal(SyncAction.Created, r.Action));
            Assert.Equal("123456789012.dkr.ecr.us-east-1.amazonaws.com", results[1].Registry);
            // The emulator logs a request after its answer is sent: wait for the line (a loaded machine is slow).
            var lines = _airflow.RequestLines();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && !lines.Exists(l => l.StartsWith("PATCH ", StringComparison.Ordinal)))
            {
                System.Threading.Thread.Sleep(50);
                lines = _airflow.RequestLines();
            }

            Assert.Single(lines, l => l.StartsWith("PATCH /api/v2/connections", StringComparison.Ordinal));
            for (var i = 0; i < regions.Length; i++)
            {
                var stored = _airflow.StoredConnection($"ecr_{regions[i]}_{suffix}")!;
                Assert.Equal(tokens[i], (string?)stored["password"]);
                Assert.Equal($"123456789012.dkr.ecr.{regions[i]}.amazonaws.com", (string?)stored["host"]);
                Assert.StartsWith("Managed by EcrAirflow; token expires ", (string?)stored["description"]);
            }
        }

        [Fact]
        public void WhatIf_writes_nothing()
        {
            var (output, errors) = Run("-ConnectionId ecr_whatif -WhatIf", new[] { Input("eu-west-1", "tok+/=en") });

            Assert.Empty(errors);
            Assert.Empty(output);
            Assert.Empty(_airflow.RequestLines());
            Assert.Null(_airflow.StoredConnection("ecr_whatif"));
        }

        [Fact]
        public void A_wrong_password_is_a_PermissionDenied_error_record_without_secrets()
        {
            var wrong = "wrong-Pa55word";
            var (output, errors) = Run("-ConnectionId ecr_denied -ApiVersion V2", new[] { Input("eu-west-1", "tok+/=en") }, wrong);

            Assert.Empty(output);
            var error = Assert.Single(errors);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Equal("AirflowAuthenticationFailed,EcrAirflow.Commands.SyncAirflowEcrConnectionCommand", error.FullyQualifiedErrorId);
            Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
            var text = string.Join("\n", error.ToString(), error.ErrorDetails?.Message, error.ErrorDetails?.RecommendedAction, error.Exception.ToString(), error.TargetObject, error.CategoryInfo);
            Kit.NoSecretIn(text, wrong, "tok+/=en");
        }

        [Fact]
        public void An_invalid_connection_id_is_refused_before_any_request()
        {
            var (output, errors) = Run("-ConnectionId 'bad id!' -ApiVersion V2", new[] { Input("eu-west-1", "tok+/=en") });

            Assert.Empty(output);
            Assert.Equal("InvalidConnectionId,EcrAirflow.Commands.SyncAirflowEcrConnectionCommand", Assert.Single(errors).FullyQualifiedErrorId);
            Assert.Empty(_airflow.RequestLines());
        }

        [Fact]
        public void Clear_text_to_another_host_is_refused_before_any_request()
        {
            var (output, errors) = Run("-ConnectionId ecr -ApiVersion V2", new[] { Input("eu-west-1", "tok+/=en") }, url: new Uri("http://airflow.invalid"));

            Assert.Empty(output);
            var error = Assert.Single(errors);
            Assert.Equal("UnencryptedAuthenticationRefused,EcrAirflow.Commands.SyncAirflowEcrConnectionCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Contains("-AllowUnencryptedAuthentication", error.ErrorDetails!.RecommendedAction);
        }

        [Fact]
        public void A_connection_Airflow_did_not_write_is_an_error_that_says_which_were_written()
        {
            var suffix = Guid.NewGuid().ToString("N").Substring(0, 6);
            var ok = $"ecr_eu-west-1_{suffix}";
            var bad = $"ecr_us-east-1_{suffix}";
            Run("-ConnectionId warm_" + suffix + " -ApiVersion V2", new[] { Input("eu-west-1", "tok+/=en") }); // token first
            var reply = new System.Text.Json.Nodes.JsonObject
            {
                ["create"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["success"] = new System.Text.Json.Nodes.JsonArray(ok),
                    ["errors"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["error"] = $"Connection {bad} could not be written.", ["status_code"] = 500 }),
                },
            };
            _airflow.Fault("PATCH", "/api/v2/connections", 200, body: reply);

            var (output, errors) = Run("-ConnectionId { \"ecr_$($_.Region)_" + suffix + "\" } -ApiVersion V2", new[] { Input("eu-west-1", "tok+/=en-1"), Input("us-east-1", "tok+/=en-2") });

            Assert.Equal(ok, Assert.IsType<AirflowConnectionSyncResult>(Assert.Single(output).BaseObject).ConnectionId);
            var error = Assert.Single(errors);
            Assert.Equal("AirflowWriteFailed,EcrAirflow.Commands.SyncAirflowEcrConnectionCommand", error.FullyQualifiedErrorId);
            Assert.Equal(bad, error.TargetObject);
            Assert.Contains($"Written: {ok}.", error.ErrorDetails!.Message);
        }
    }
}
