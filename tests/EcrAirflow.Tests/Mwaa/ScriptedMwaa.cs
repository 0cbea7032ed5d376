using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Tests.Mwaa
{
    /// <summary>An MWAA API answering from a script, recording every signed call it was handed.</summary>
    internal sealed class ScriptedMwaa : IAwsSession, IAwsBackend
    {
        private readonly Func<AwsCall, string, AwsReply> _answer;

        public ScriptedMwaa(Func<AwsCall, string, AwsReply> answer, string region = "eu-west-1")
        {
            _answer = answer;
            Region = region;
        }

        public List<(AwsCall Call, string Body)> Calls { get; } = new List<(AwsCall, string)>();

        public List<AwsSessionRequest> Opened { get; } = new List<AwsSessionRequest>();

        public string Region { get; private set; }

        public string RegionSource => "a test";

        public AwsEndpoint Endpoint => new AwsEndpoint(AwsService.Mwaa, new Uri("http://127.0.0.1:1/"), Region, IsCustom: true);

        public Exception? Throw { get; set; }

        public Task<string> IdentityKeyAsync(IOperationLog log, CancellationToken cancellationToken) => Task.FromResult("identity");

        public Task<AwsReply> SendAsync(AwsCall call, IOperationLog log, CancellationToken cancellationToken)
        {
            var body = Encoding.UTF8.GetString(call.Body);
            Calls.Add((call, body));
            if (Throw != null)
            {
                throw Throw;
            }

            return Task.FromResult(_answer(call, body));
        }

        public IAwsSession Open(AwsService service, AwsSessionRequest request, IOperationLog log)
        {
            Assert.Same(AwsService.Mwaa, service);
            Opened.Add(request);
            Region = request.Region ?? request.FallbackRegion ?? "us-east-1";
            log.Verbose($"Region {Region} (from a test).");
            return this;
        }

        public static AwsReply Ok(int status, string response) =>
            new AwsReply(200, $"{{\"RestApiStatusCode\":{status},\"RestApiResponse\":{response}}}", "req-1", null, null);

        public static AwsReply Wrapped(string code, int status, string response) =>
            new AwsReply(400, $"{{\"RestApiStatusCode\":{status},\"RestApiResponse\":{response}}}", "req-2", code, null);

        public static AwsReply Error(int http, string code, string message) =>
            new AwsReply(http, JsonText.Quote(message), "req-3", code, message);

        public static AwsReply Environment(string version) =>
            new AwsReply(200, $"{{\"Environment\":{{\"Name\":\"demo\",\"AirflowVersion\":\"{version}\",\"Status\":\"AVAILABLE\"}}}}", "req-4", null, null);
    }
}
