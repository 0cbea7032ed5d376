using Xunit;
using EcrAirflow.Core.Airflow.Api;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// What an Airflow error reply says, redacted.
    /// </summary>
    public sealed class AirflowErrorsTests
    {
        private static SecretRedactor Redactor(params string[] secrets)
        {
            var r = new SecretRedactor();
            foreach (var s in secrets)
            {
                r.Add(s);
            }

            return r;
        }

        [Fact]
        public void Reads_the_detail_of_a_v1_problem()
        {
            var body = "{\"detail\": \"The connection_id cannot be updated.\", \"status\": 400, \"title\": \"Bad Request\", \"type\": \"x\"}";
            Assert.Equal("The connection_id cannot be updated.", AirflowErrors.Detail(body, Redactor()));
        }

        [Fact]
        public void Reads_a_v2_validation_error_without_its_input()
        {
            var body = "{\"detail\":[{\"type\":\"extra_forbidden\",\"loc\":[\"body\",\"actions\",0,\"create\",\"entities\",0,\"colour\"],\"msg\":\"Extra inputs are not permitted\",\"input\":{\"password\":\"tok+/=secret\"}}]}";
            var detail = AirflowErrors.Detail(body, Redactor());
            Assert.Equal("actions.0.create.entities.0.colour: Extra inputs are not permitted", detail);
            Assert.DoesNotContain("tok+/=secret", detail);
        }

        [Fact]
        public void Masks_secrets_and_ignores_HTML()
        {
            Assert.Equal("bad password ******** for you", AirflowErrors.Detail("{\"detail\":\"bad password tok+/=secret for you\"}", Redactor("tok+/=secret")));
            Assert.Equal("", AirflowErrors.Detail("<html><body>502 Bad Gateway</body></html>", Redactor()));
            Assert.Equal("upstream timed out", AirflowErrors.Detail("upstream timed out", Redactor()));
        }
    }
}
