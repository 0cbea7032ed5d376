using System;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;
using EcrAirflow.AwsApi;
using EcrAirflow.Ecr;
using EcrAirflow.Internal.Secrets;

namespace EcrAirflow.Tests
{
    public class EcrResponseParserTests
    {
        private static string Token(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        [Fact]
        public void Parses_every_authorization_entry_and_splits_on_the_first_colon_only()
        {
            var body = "{\"authorizationData\":[" +
                       $"{{\"authorizationToken\":\"{Token("AWS:pa:ss/wo+rd=")}\",\"expiresAt\":1.7000000425E9,\"proxyEndpoint\":\"https://111111111111.dkr.ecr.eu-west-1.amazonaws.com\"}}," +
                       $"{{\"authorizationToken\":\"{Token("AWS:second")}\",\"expiresAt\":1700000000,\"proxyEndpoint\":\"https://222222222222.dkr.ecr.eu-west-1.amazonaws.com\"}}]}}";
            var list = EcrResponseParser.ParseSuccess(body, false);
            Assert.Equal(2, list.Count);
            Assert.Equal("111111111111.dkr.ecr.eu-west-1.amazonaws.com", list[0].Registry);
            Assert.Equal("https://111111111111.dkr.ecr.eu-west-1.amazonaws.com", list[0].ProxyEndpoint);
            Assert.Equal("111111111111", list[0].RegistryId);
            Assert.Equal("AWS", list[0].UserName);
            Assert.Equal("pa:ss/wo+rd=", SecureText.Reveal(list[0].Password));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000042500), list[0].ExpiresAt);
            Assert.Equal("second", SecureText.Reveal(list[1].Password));
        }

        [Fact]
        public void Public_reply_is_one_object_for_public_ecr_aws()
        {
            var body = $"{{\"authorizationData\":{{\"authorizationToken\":\"{Token("AWS:pub")}\",\"expiresAt\":1700000000}}}}";
            var one = Assert.Single(EcrResponseParser.ParseSuccess(body, true));
            Assert.Equal("public.ecr.aws", one.Registry);
            Assert.Equal("pub", SecureText.Reveal(one.Password));
            Assert.Null(one.RegistryId);
        }

        [Fact]
        public void The_fixed_2015_expiry_of_an_emulator_parses()
        {
            using var doc = JsonDocument.Parse("1420070400");
            Assert.Equal(new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero), EcrResponseParser.ParseEpoch(doc.RootElement));
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("{\"other\":1}")]
        [InlineData("{\"authorizationData\":[{\"authorizationToken\":\"%%%\",\"proxyEndpoint\":\"https://x\"}]}")]
        [InlineData("{\"authorizationData\":[{\"authorizationToken\":\"bm9jb2xvbg==\",\"proxyEndpoint\":\"https://x\"}]}")]
        public void Malformed_replies_become_InvalidData(string body)
        {
            var ex = Assert.Throws<EcrAirflowException>(() => EcrResponseParser.ParseSuccess(body, false));
            Assert.Equal("EcrMalformedResponse", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidData, ex.Kind);
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

        [Theory]
        [InlineData("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError")]
        [InlineData("FooError", "FooError")]
        [InlineData("com.amazonaws#FooError", "FooError")]
        public void Error_type_is_cleaned(string raw, string expected)
        {
            Assert.Equal(expected, AwsErrors.CleanCode(raw));
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
