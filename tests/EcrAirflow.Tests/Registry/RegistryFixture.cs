using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Xunit;

namespace EcrAirflow.Tests.Registry
{
    /// <summary>
    /// Debian's docker-registry (the CNCF distribution registry 2.8) and squid, started through the same PowerShell
    /// functions the Pester suites use (tests/peers/Registry.ps1 and Proxy.ps1, dot-sourced by Peers.ps1) in one
    /// runspace of this process, so there is one way to install, start and stop them. Nothing starts until a test
    /// asks; everything started is stopped, and the fixture's folder under the temp folder removed, on Dispose.
    /// </summary>
    public sealed class RegistryFixture : IDisposable
    {
        private readonly object _gate = new object();
        private readonly List<PSObject> _registries = new List<PSObject>();
        private readonly List<PSObject> _proxies = new List<PSObject>();
        private Runspace? _runspace;
        private string? _work;

        /// <summary>
        /// Why the registry peer cannot run on this machine, or null when it can: installed, or installable with
        /// apt-get as root (the rule of Test-RegistryInstallable in Registry.ps1). Used at discovery, to skip.
        /// </summary>
        public static string? WhyUnavailable { get; } = FindWhyUnavailable();

        public RegistryPeer StartRegistry(string? password = null, string auth = "Htpasswd")
        {
            lock (_gate)
            {
                var peer = Single(Invoke("Start-RegistryPeer", ("WorkDirectory", Work()), ("Password", password), ("Auth", auth)));
                _registries.Add(peer);
                return new RegistryPeer(peer);
            }
        }

        /// <summary>A new htpasswd holding AWS and <paramref name="password"/>: the registry reads it on its next request.</summary>
        public void SetPassword(RegistryPeer registry, string password)
        {
            lock (_gate)
            {
                Invoke("Set-RegistryPassword", ("Registry", registry.Handle), ("Password", password));
            }
        }

        /// <summary>The requests the registry logged: "GET /v2/ 401", oldest first.</summary>
        public IReadOnlyList<string> Requests(RegistryPeer registry)
        {
            lock (_gate)
            {
                return Invoke("Get-RegistryRequests", ("Registry", registry.Handle))
                    .Select(r => $"{r.Properties["Method"].Value} {r.Properties["Path"].Value} {r.Properties["Status"].Value}")
                    .ToList();
            }
        }

        public void StopRegistry(RegistryPeer registry)
        {
            lock (_gate)
            {
                Invoke("Stop-RegistryPeer", ("Registry", registry.Handle));
                _registries.Remove(registry.Handle);
            }
        }

        /// <summary>squid on a free loopback port, with Basic proxy authentication for <paramref name="user"/>.</summary>
        public ProxyPeer StartProxy(string user, string password)
        {
            lock (_gate)
            {
                var proxy = Single(Invoke("Start-ProxyPeer", ("WorkDirectory", Work()), ("UserName", user), ("Password", password)));
                _proxies.Add(proxy);
                return new ProxyPeer(proxy);
            }
        }

        public void StopProxy(ProxyPeer proxy)
        {
            lock (_gate)
            {
                Invoke("Stop-ProxyPeer", ("Proxy", proxy.Handle));
                _proxies.Remove(proxy.Handle);
            }
        }

        /// <summary>squid's access log since it started: "GET http://127.0.0.1:port/v2/ 401 user", waiting for <paramref name="count"/> entries.</summary>
        public IReadOnlyList<string> ProxyLog(ProxyPeer proxy, int count)
        {
            lock (_gate)
            {
                return Invoke("Get-ProxyAccessLog", ("Proxy", proxy.Handle), ("Count", count))
                    .Select(e => $"{e.Properties["Method"].Value} {e.Properties["Url"].Value} {e.Properties["Status"].Value} {e.Properties["User"].Value}".TrimEnd())
                    .ToList();
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_runspace == null)
                {
                    return;
                }

                foreach (var registry in _registries.ToArray())
                {
                    TryInvoke("Stop-RegistryPeer", ("Registry", registry));
                }

                foreach (var proxy in _proxies)
                {
                    TryInvoke("Stop-ProxyPeer", ("Proxy", proxy));
                }

                _runspace.Dispose();
                _runspace = null;
                if (_work != null && Directory.Exists(_work))
                {
                    Directory.Delete(_work, recursive: true); // the folder Work() made, by its exact path
                }
            }
        }

        private string Work()
        {
            if (_work == null)
            {
                _work = Path.Combine(Path.GetTempPath(), "ecrairflow-registry-" + Guid.NewGuid().ToString("n"));
                Directory.CreateDirectory(_work);
            }

            return _work;
        }

        private Runspace Runspace()
        {
            if (_runspace == null)
            {
                var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                runspace.Open();
                using var ps = PowerShell.Create();
                ps.Runspace = runspace;
                ps.AddScript(". '" + Path.Combine(RepoPaths.Root, "tests", "peers", "Peers.ps1").Replace("'", "''") + "'", useLocalScope: false);
                ps.Invoke();
                ThrowOnErrors(ps, "Peers.ps1");
                _runspace = runspace;
            }

            return _runspace;
        }

        private List<PSObject> Invoke(string command, params (string Name, object? Value)[] parameters)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = Runspace();
            ps.AddCommand(command);
            foreach (var (name, value) in parameters)
            {
                if (value != null)
                {
                    ps.AddParameter(name, value);
                }
            }

            var output = ps.Invoke().Where(o => o != null).ToList();
            ThrowOnErrors(ps, command);
            return output;
        }

        private void TryInvoke(string command, params (string Name, object? Value)[] parameters)
        {
            try
            {
                Invoke(command, parameters);
            }
            catch (Exception)
            {
                // Dispose goes on with the others; the process wrappers also stop when this process ends.
            }
        }

        private static void ThrowOnErrors(PowerShell ps, string what)
        {
            if (ps.HadErrors && ps.Streams.Error.Count > 0)
            {
                throw new InvalidOperationException(what + " failed: " + string.Join("\n", ps.Streams.Error.Select(e => e.ToString())));
            }
        }

        private static PSObject Single(List<PSObject> output) =>
            output.Count == 1 ? output[0] : throw new InvalidOperationException($"expected one peer object, got {output.Count}");

        private static string? FindWhyUnavailable()
        {
            if (OnPath("docker-registry") && OnPath("htpasswd"))
            {
                return null;
            }

            if (!OperatingSystem.IsLinux() || !File.Exists("/etc/debian_version"))
            {
                return "docker-registry (the registry peer) is not installed and this is not Debian/Ubuntu: apt-get install docker-registry apache2-utils";
            }

            if (!OnPath("apt-get"))
            {
                return "docker-registry (the registry peer) is not installed and apt-get is missing";
            }

            return Environment.UserName == "root"
                ? null
                : "docker-registry (the registry peer) is not installed and installing it needs root: sudo apt-get install -y --no-install-recommends docker-registry apache2-utils";
        }

        private static bool OnPath(string name)
        {
            var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Concat(new[] { "/usr/bin", "/usr/sbin" });
            return dirs.Any(d => d.Length > 0 && File.Exists(Path.Combine(d, name)));
        }
    }

    /// <summary>One registry peer: plain http on 127.0.0.1, a user AWS (with -Auth Htpasswd).</summary>
    public sealed class RegistryPeer
    {
        internal RegistryPeer(PSObject handle)
        {
            Handle = handle;
            Url = Text(handle, "Url")!;
            Host = Text(handle, "Host")!;
            Realm = Text(handle, "Realm");
            LogPath = Text(handle, "Log")!;
        }

        internal PSObject Handle { get; }

        /// <summary>http://127.0.0.1:port</summary>
        public string Url { get; }

        /// <summary>127.0.0.1:port</summary>
        public string Host { get; }

        public string? Realm { get; }

        public string LogPath { get; }

        /// <summary>A property as text, whether PowerShell kept it as a string or wrapped it in a PSObject.</summary>
        internal static string? Text(PSObject handle, string name) => handle.Properties[name].Value switch
        {
            null => null,
            PSObject wrapped => wrapped.BaseObject?.ToString(),
            var value => value.ToString(),
        };
    }

    /// <summary>One squid peer.</summary>
    public sealed class ProxyPeer
    {
        internal ProxyPeer(PSObject handle)
        {
            Handle = handle;
            Url = new Uri(RegistryPeer.Text(handle, "Url")!);
            AccessLog = RegistryPeer.Text(handle, "AccessLog")!;
        }

        internal PSObject Handle { get; }

        public Uri Url { get; }

        public string AccessLog { get; }
    }

    /// <summary>A fact that needs the registry peer: skipped, with the reason, only where docker-registry cannot be installed.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RegistryFactAttribute : FactAttribute
    {
        public RegistryFactAttribute()
        {
            if (RegistryFixture.WhyUnavailable != null)
            {
                Skip = RegistryFixture.WhyUnavailable;
            }
        }
    }

    [CollectionDefinition("registry")]
    public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
    {
    }
}
