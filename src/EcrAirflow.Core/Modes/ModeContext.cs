using System;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Core.Modes
{
    /// <summary>
    /// What a target gets from the cmdlet besides its mode's parameters: the shared HTTP and AWS settings the user
    /// gave (already checked), in core types.
    /// </summary>
    internal sealed class ModeContext
    {
        public static readonly ModeContext Default = new ModeContext();

        /// <summary>The proxy (the system's unless -Proxy), for the modes that talk HTTP.</summary>
        public HttpSettings Http { get; init; } = HttpSettings.Default;

        /// <summary>-AllowUnencryptedAuthentication: a secret may go over http:// to a host that is not loopback.</summary>
        public bool AllowUnencryptedAuthentication { get; init; }

        /// <summary>The AWS-backed modes: region, credentials, endpoint and HTTP limits (null for the other modes).</summary>
        public AwsSessionRequest? Aws { get; init; }

        /// <summary>Hooks for tests; never set by a cmdlet.</summary>
        public TestSeams Seams { get; init; } = TestSeams.None;

        /// <summary>The AWS settings an AWS-backed mode cannot do without.</summary>
        public AwsSessionRequest RequireAws() =>
            Aws ?? throw new InvalidOperationException("An AWS-backed mode needs the AWS parameters (ModeContext.Aws).");
    }

    /// <summary>What tests may change in a target's behaviour, in one place (nothing here is reachable from PowerShell).</summary>
    internal sealed class TestSeams
    {
        public static readonly TestSeams None = new TestSeams();

        /// <summary>A shorter first backoff step, so retry tests do not sleep.</summary>
        public TimeSpan? RetryBaseDelay { get; set; }

        /// <summary>A per-attempt timeout shorter than a second, so timeout tests do not wait.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Called with the path of the Cli import file once it exists.</summary>
        public Action<string>? ImportFileCreated { get; set; }
    }
}
