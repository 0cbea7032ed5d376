using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Aws;
using EcrAirflow.AwsApi;
using EcrAirflow.Ecr;
using EcrAirflow.Internal;
using EcrAirflow.Internal.Secrets;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// ECR Public's request shape. moto has no ECR Public, so a loopback listener records the request the
    /// module sends and answers with the reply documented for SpencerFrontendService.GetAuthorizationToken.
    /// </summary>
    public class EcrPublicRequestTests
    {
        [Fact]
        public async Task Public_request_targets_spencer_signs_as_ecr_public_in_us_east_1_and_reads_one_object()
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            using var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:public-pass:word"));
            string? target = null, authorization = null, body = null, contentType = null;
            var server = Task.Run(async () =>
            {
                var context = await listener.GetContextAsync();
                target = context.Request.Headers["X-Amz-Target"];
                authorization = context.Request.Headers["Authorization"];
                contentType = context.Request.ContentType;
                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    body = await reader.ReadToEndAsync();
                }

                var reply = Encoding.UTF8.GetBytes($"{{\"authorizationData\":{{\"authorizationToken\":\"{token}\",\"expiresAt\":1.7000000005E9}}}}");
                context.Response.ContentType = "application/x-amz-json-1.1";
                await context.Response.OutputStream.WriteAsync(reply);
                context.Response.Close();
            });

            var result = await EcrTokenService.GetAsync(new AwsBackendService(), new EcrTokenRequest
            {
                Public = true,
                Force = true,
                Aws = new AwsSessionRequest
                {
                    Region = "eu-west-1", // ignored: ECR Public lives in us-east-1
                    EndpointUrl = new Uri($"http://127.0.0.1:{port}/"),
                    MaximumRetryCount = 0,
                    Credentials = new AwsCredentialRequest { AccessKeyId = "AKIAPUBLICTEST000001", SecretAccessKey = "public-secret" },
                },
            }, NullOperationLog.Instance, default);
            await server;

            Assert.Equal("SpencerFrontendService.GetAuthorizationToken", target);
            Assert.Contains("/us-east-1/ecr-public/aws4_request", authorization);
            Assert.Equal("{}", body);
            Assert.Equal("application/x-amz-json-1.1", contentType);
            var one = Assert.Single(result.Authorizations);
            Assert.Equal("public.ecr.aws", one.Registry);
            Assert.Equal("public-pass:word", SecureText.Reveal(one.Password));
            Assert.True(result.IsPublic);
            Assert.Equal("us-east-1", result.Region);
        }
    }
}
