using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;
using Xunit;

namespace EcrAirflow.Tests.SecretStores
{
    /// <summary>
    /// Secrets Manager or SSM answering from a script, one queue of replies per operation, for the races moto cannot
    /// be made to lose (another writer between two of our calls). Records every call it was handed; an operation
    /// the script did not expect fails the test.
    /// </summary>
    internal sealed class ScriptedAws : IAwsSession, IAwsBackend
    {
        private readonly AwsService _service;
        private readonly Dictionary<string, Queue<AwsReply>> _replies = new Dictionary<string, Queue<AwsReply>>(StringComparer.Ordinal);

        public ScriptedAws(AwsService service) => _service = service;

        public List<(string Operation, string Body)> Calls { get; } = new List<(string, string)>();

        public string Region => "eu-west-1";

        public string RegionSource => "a test";

        public AwsEndpoint Endpoint => new AwsEndpoint(_service, new Uri("http://127.0.0.1:1/"), Region, IsCustom: true);

        /// <summary>The operations called, in order.</summary>
        public string[] Operations => Calls.Select(c => c.Operation).ToArray();

        /// <summary>The next replies to <paramref name="operation"/>, in order.</summary>
        public ScriptedAws On(string operation, params AwsReply[] replies)
        {
            if (!_replies.TryGetValue(operation, out var queue))
            {
                _replies[operation] = queue = new Queue<AwsReply>();
            }

            foreach (var reply in replies)
            {
                queue.Enqueue(reply);
            }

            return this;
        }

        /// <summary>The body of the n-th call (0-based) to an operation, parsed.</summary>
        public JsonElement Body(string operation, int n = 0) =>
            JsonDocument.Parse(Calls.Where(c => c.Operation == operation).ElementAt(n).Body).RootElement.Clone();

        public IAwsSession Open(AwsService service, AwsSessionRequest request, IOperationLog log)
        {
            Assert.Same(_service, service);
            log.Verbose($"Region {Region} (from a test).");
            return this;
        }

        public Task<string> IdentityKeyAsync(IOperationLog log, CancellationToken cancellationToken) => Task.FromResult("identity");

        public Task<AwsReply> SendAsync(AwsCall call, IOperationLog log, CancellationToken cancellationToken)
        {
            Calls.Add((call.Operation, Encoding.UTF8.GetString(call.Body)));
            Assert.True(_replies.TryGetValue(call.Operation, out var queue) && queue.Count > 0, $"unexpected call {call.Operation} after {string.Join(", ", Operations)}");
            return Task.FromResult(queue!.Dequeue());
        }

        public static AwsReply Ok(string json) => new AwsReply(200, json, "req-ok", null, null);

        public static AwsReply Error(string code, string message = "") =>
            new AwsReply(400, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = message }), "req-err", code, message);
    }
}
