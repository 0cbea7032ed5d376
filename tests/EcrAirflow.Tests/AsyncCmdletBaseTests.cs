using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace EcrAirflow.Tests
{
    /// <summary>Ctrl+C (PowerShell.Stop, which calls StopProcessing) cancels an in-flight ECR request.</summary>
    public class AsyncCmdletBaseTests
    {
        [Fact]
        public async Task Stop_cancels_a_request_that_the_server_never_answers()
        {
            // A loopback server that accepts the connection and then says nothing.
            using var silent = new TcpListener(IPAddress.Loopback, 0);
            silent.Start();
            var port = ((IPEndPoint)silent.LocalEndpoint).Port;
            var accepted = new TaskCompletionSource<Socket>();
            _ = Task.Run(async () => accepted.TrySetResult(await silent.AcceptSocketAsync()));

            using var ps = PowerShellHost.Create();
            ps.AddCommand("Get-EcrDockerCredential")
              .AddParameter("Region", "eu-west-1")
              .AddParameter("EndpointUrl", $"http://127.0.0.1:{port}/")
              .AddParameter("Credential", PowerShellHost.Credential("AKIASTOPTEST00000001", "secret"))
              .AddParameter("TimeoutSec", 120)
              .AddParameter("MaximumRetryCount", 0)
              .AddParameter("Force");
            var running = ps.BeginInvoke();
            using var socket = await accepted.Task; // the request is in flight now
            ps.Stop();

            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
            Assert.Empty(ps.Streams.Error); // stopped, not timed out
        }
    }
}
