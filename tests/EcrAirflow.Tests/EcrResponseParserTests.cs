using System;
using System.Text;
using System.Text.Json;
using Xunit;
using EcrAirflow.Core.Ecr;
using EcrAirflow.Core.Internal.Secrets;

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

        [Fact]
        public void A_decoded_ECR_token_keeps_every_character_of_the_password()
        {
            var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("AWS:pa:ss\u00e9word+/="));
            var (user, password) = EcrResponseParser.DecodeToken(token);
            Assert.Equal("AWS", user);
            Assert.Equal("pa:ss\u00e9word+/=", SecureText.Reveal(password));
            Assert.True(password.IsReadOnly());
        }
    }
}
