using System;

namespace EcrAirflow.Core.Registry
{
    /// <summary>What a registry said about a stored login.</summary>
    internal enum RegistryLoginOutcome
    {
        /// <summary>The registry asked for Basic credentials and accepted the stored ones (GET /v2/ answered 200).</summary>
        Succeeded,

        /// <summary>The registry asked for Basic credentials and refused the stored ones (401, or 403).</summary>
        Failed,

        /// <summary>The login could not be tested: no registry to ask, or not one that checks Basic logins (see Problem).</summary>
        Unavailable,
    }

    /// <summary>
    /// The answer of one login check. Reason is a sentence a person can act on whenever the login did not succeed;
    /// it and every other member are safe to print (never the password, the Basic header or user info).
    /// </summary>
    /// <param name="Registry">The URL that was (or would have been) asked, e.g. https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/.</param>
    /// <param name="Realm">The realm of the registry's Basic challenge, when it sent one.</param>
    /// <param name="Problem">
    /// Why the login did not succeed, as the module's errors say it: a specific ErrorId (documented in about_EcrAirflow),
    /// a FailureKind and a hint. Null when it succeeded. A caller may also write it as an error.
    /// </param>
    internal sealed record RegistryLoginResult(RegistryLoginOutcome Outcome, string Registry, string? Realm, EcrAirflowException? Problem)
    {
        /// <summary>The problem's message and what to do about it, as one text; null when the login succeeded.</summary>
        public string? Reason => Problem == null ? null : Problem.Hint == null ? Problem.Message : Problem.Message + " " + Problem.Hint;

        public static RegistryLoginResult Succeeded(string registry, string? realm) =>
            new RegistryLoginResult(RegistryLoginOutcome.Succeeded, registry, realm, null);

        public static RegistryLoginResult Failed(string registry, string? realm, EcrAirflowException problem) =>
            new RegistryLoginResult(RegistryLoginOutcome.Failed, registry, realm, problem ?? throw new ArgumentNullException(nameof(problem)));

        public static RegistryLoginResult Unavailable(string registry, string? realm, EcrAirflowException problem) =>
            new RegistryLoginResult(RegistryLoginOutcome.Unavailable, registry, realm, problem ?? throw new ArgumentNullException(nameof(problem)));

        public override string ToString() => Reason == null ? $"{Outcome} ({Registry})" : $"{Outcome}: {Reason}";
    }
}
