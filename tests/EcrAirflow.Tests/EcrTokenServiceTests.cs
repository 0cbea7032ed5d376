using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Aws;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Ecr;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// GetAuthorizationToken: the request it sends (ECR Public's shape through a loopback listener: moto has no ECR
    /// Public, so the listener answers with the reply documented for SpencerFrontendService.GetAuthorizationToken),
    /// and what an ECR error reply becomes.
    /// </summary>
    public sealed class EcrTokenServiceTests
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

        [Theory]
        [InlineData("{\"__type\":\"com.amazonaws.ecr#AccessDeniedException\",\"message\":\"no\"}", 400, "EcrAccessDenied", FailureKind.PermissionDenied)]
        [InlineData("{\"__type\":\"UnrecognizedClientException:http://internal.amazon.com/\",\"Message\":\"bad key\"}", 400, "EcrUnrecognizedClient", FailureKind.SecurityError)]
        [InlineData("{\"__type\":\"InvalidSignatureException\",\"message\":\"sig\"}", 400, "EcrInvalidSignature", FailureKind.SecurityError)]
        [InlineData("{\"__type\":\"InvalidParameterException\",\"message\":\"bad id\"}", 400, "EcrInvalidParameter", FailureKind.InvalidArgument)]
        [InlineData("{\"__type\":\"ThrottlingException\",\"message\":\"slow down\"}", 400, "EcrThrottled", FailureKind.LimitsExceeded)]
        [InlineData("{\"__type\":\"ExpiredTokenException\",\"message\":\"expired\"}", 400, "EcrExpiredCredentials", FailureKind.SecurityError)]
        [InlineData("<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>calc &amp; sig</Message></Error></Errors></ErrorResponse>", 403, "EcrInvalidSignature", FailureKind.SecurityError)]
        [InlineData("<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User x</Message></Error></Errors></ErrorResponse>", 403, "EcrAccessDenied", FailureKind.PermissionDenied)]
        [InlineData("", 503, "EcrServiceUnavailable", FailureKind.ConnectionError)]
        [InlineData("", 429, "EcrThrottled", FailureKind.LimitsExceeded)]
        public void Aws_errors_map_to_ids_and_categories(string body, int status, string id, FailureKind kind)
        {
            var ex = EcrError(status, body, null, "req-123");
            Assert.Equal(id, ex.ErrorId);
            Assert.Equal(kind, ex.Kind);
            Assert.Equal("req-123", ex.RequestId);
            Assert.Contains("req-123", ex.Message);
            Assert.False(string.IsNullOrEmpty(ex.Hint));
        }

        [Fact]
        public void Error_code_comes_from_the_header_when_the_body_has_none()
        {
            var ex = EcrError(400, "", "ThrottlingException:http://internal.amazon.com/", null);
            Assert.Equal("EcrThrottled", ex.ErrorId);
        }

        /// <summary>
        /// What Get-EcrDockerCredential reports for an ECR error reply: the session throws the failures every
        /// service shares (AwsErrors.Common), and ECR maps the rest.
        /// </summary>
        private static EcrAirflowException EcrError(int status, string body, string? header, string? requestId)
        {
            var call = new AwsCall("GetAuthorizationToken", new byte[0], "ecr:GetAuthorizationToken");
            var reply = AwsErrors.Reply(status, body, header, requestId);
            return AwsErrors.Common(AwsService.Ecr, call, reply, 3) ?? EcrTokenService.Failure(AwsService.Ecr, call, reply);
        }

        [Fact]
        public void Request_body_lists_registry_ids_or_is_empty()
        {
            Assert.Equal("{}", Encoding.UTF8.GetString(EcrTokenService.Body(null)));
            Assert.Equal("{\"registryIds\":[\"111111111111\",\"222222222222\"]}", Encoding.UTF8.GetString(EcrTokenService.Body(new[] { "111111111111", "222222222222" })));
        }
    }
}
