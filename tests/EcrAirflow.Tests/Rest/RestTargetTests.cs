using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Modes;
using EcrAirflow.Core.Modes;
using EcrAirflow.Core.Modes.Rest;

namespace EcrAirflow.Tests.Rest
{
    /// <summary>
    /// Rest mode's target: the clear-text rule before any request, and a TLS server with a self-signed certificate on
    /// loopback: the certificate check must fail with SecurityError, and -SkipCertificateCheck must let the same request through.
    /// </summary>
    public sealed class RestTargetTests : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly X509Certificate2 _certificate;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public RestTargetTests()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            _certificate = X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        private Uri Url => new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

        [Fact]
        public async Task An_untrusted_certificate_is_a_SecurityError_and_is_not_retried()
        {
            var options = new RestSetup();
            options.Parameters.AirflowUrl = Url;
            options.Parameters.AirflowCredential = new System.Management.Automation.PSCredential("admin", DockerConnection.Secure("pw-secret"));
            options.Parameters.ApiVersion = AirflowApiVersion.V2;
            options.Parameters.MaximumRetryCount = 3;
            var log = new RecordingLog();

            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() =>
                options.Target().WriteAsync(new[] { Kit.Connection("ecr", "tok-secret") }, log, CancellationToken.None));

            Assert.Equal("AirflowTlsFailure", ex.ErrorId);
            Assert.Equal(FailureKind.SecurityError, ex.Kind);
            Assert.Contains("-SkipCertificateCheck", ex.Hint);
            Assert.DoesNotContain(log.Lines, l => l.Contains("retry", StringComparison.Ordinal));
            Kit.NoSecretIn(Kit.Describe(ex) + log.All, "pw-secret", "tok-secret");
        }

        [Fact]
        public async Task SkipCertificateCheck_accepts_it()
        {
            var options = new RestSetup();
            options.Parameters.AirflowUrl = Url;
            options.Parameters.ApiVersion = AirflowApiVersion.Auto;
            options.Parameters.SkipCertificateCheck = true;
            options.Parameters.MaximumRetryCount = 0;

            // The stub answers 200 {"version":"3.1.0"} to everything: the probe succeeds, the bulk reply is not a BulkResponse.
            var ex = await Assert.ThrowsAsync<EcrAirflowException>(() =>
                options.Target().WriteAsync(new[] { Kit.Connection("ecr", "tok-secret") }, new RecordingLog(), CancellationToken.None));

            Assert.Equal("AirflowUnexpectedResponse", ex.ErrorId);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _certificate.Dispose();
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (client)
                    using (var tls = new SslStream(client.GetStream()))
                    {
                        try
                        {
                            await tls.AuthenticateAsServerAsync(_certificate);
                            var reader = new StreamReader(tls, Encoding.ASCII, false, 1024, leaveOpen: true);
                            var length = 0;
                            string? line;
                            while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
                            {
                                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                                {
                                    length = int.Parse(line.Substring(15).Trim());
                                }
                            }

                            var body = new char[length];
                            for (var read = 0; read < length;)
                            {
                                read += await reader.ReadAsync(body, read, length - read);
                            }

                            var json = "{\"version\":\"3.1.0\",\"git_version\":null}";
                            var reply = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\nConnection: close\r\n\r\n{json}";
                            await tls.WriteAsync(Encoding.ASCII.GetBytes(reply));
                        }
                        catch (Exception)
                        {
                            // the client refused our certificate: expected in one test
                        }
                    }
                });
            }
        }

        [Fact]
        public void The_Rest_target_refuses_before_any_request()
        {
            var parameters = new RestParameters { AirflowUrl = new Uri("http://airflow.invalid"), AirflowCredential = new System.Management.Automation.PSCredential("admin", DockerConnection.Secure("pw-secret")), ApiVersion = AirflowApiVersion.V2 };
            var ex = Assert.Throws<EcrAirflowException>(() => ModeRegistry.Get(SyncMode.Rest).CreateTarget(parameters, ModeContext.Default));
            Assert.Equal("UnencryptedAuthenticationRefused", ex.ErrorId);
            Kit.NoSecretIn(Kit.Describe(ex), "pw-secret");

            parameters.AccessToken = DockerConnection.Secure("tok-secret");
            parameters.AirflowCredential = null;
            Assert.Equal("UnencryptedAuthenticationRefused", Assert.Throws<EcrAirflowException>(() => ModeRegistry.Get(SyncMode.Rest).CreateTarget(parameters, ModeContext.Default)).ErrorId);
        }
    }
}
