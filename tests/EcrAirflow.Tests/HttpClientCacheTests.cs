using System;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Security.Authentication;
using Xunit;
using EcrAirflow.Internal.Http;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The HTTP handler each build creates. The netstandard2.0 build is what Windows PowerShell 5.1 runs on
    /// .NET Framework, where an HttpClientHandler left at its defaults offers whatever
    /// ServicePointManager.SecurityProtocol says (often Ssl3 | Tls), follows redirects and sends
    /// Expect: 100-continue. Its compiled code is loaded here into its own load context and asked for the
    /// handler it would use; the net8.0 build is checked directly.
    /// </summary>
    public sealed class HttpClientCacheTests
    {
        private static readonly Lazy<Assembly> NetStandardBuild = new Lazy<Assembly>(() => Tests.NetStandardBuild.Assembly);

        private static object Settings(Assembly build, Action<Type, object>? set = null)
        {
            var type = build.GetType("EcrAirflow.Core.Internal.Http.HttpSettings", throwOnError: true)!;
            var settings = Activator.CreateInstance(type)!;
            set?.Invoke(type, settings);
            return settings;
        }

        private static HttpMessageHandler Handler(Assembly build, object settings) =>
            (HttpMessageHandler)build.GetType("EcrAirflow.Core.Internal.Http.HttpClientCache", true)!
                .GetMethod("CreateHandler", BindingFlags.NonPublic | BindingFlags.Static)!
                .Invoke(null, new[] { settings })!;

        [Fact]
        public void The_netstandard_build_demands_TLS_1_2_or_later_and_follows_no_redirect()
        {
            var build = NetStandardBuild.Value;
            Assert.Contains("netstandard2.0", build.Location);
            var handler = Assert.IsType<HttpClientHandler>(Handler(build, Settings(build)));
            Assert.True(handler.SslProtocols.HasFlag(SslProtocols.Tls12), "TLS 1.2 must be offered");
#pragma warning disable SYSLIB0039, CS0618 // the old protocols are named to assert they are NOT offered
            Assert.False(handler.SslProtocols.HasFlag(SslProtocols.Tls), "TLS 1.0 must not be offered");
            Assert.False(handler.SslProtocols.HasFlag(SslProtocols.Tls11), "TLS 1.1 must not be offered");
            Assert.False(handler.SslProtocols.HasFlag(SslProtocols.Ssl3), "SSL 3 must not be offered");
#pragma warning restore SYSLIB0039, CS0618
            Assert.NotEqual(SslProtocols.None, handler.SslProtocols); // None would mean "whatever ServicePointManager says" on .NET Framework
            Assert.False(handler.AllowAutoRedirect);
            Assert.False(handler.UseCookies);
            Assert.Equal(DecompressionMethods.GZip | DecompressionMethods.Deflate, handler.AutomaticDecompression);
            Assert.True(handler.UseProxy);
            // The system proxy, wrapped so that a loopback request never leaves the machine through a remote proxy.
            Assert.Equal("LoopbackStaysLocal", handler.Proxy!.GetType().Name);
        }

        [Fact]
        public void A_loopback_target_goes_direct_unless_the_proxy_is_itself_on_this_machine()
        {
            foreach (var build in new[] { NetStandardBuild.Value, typeof(HttpClientCache).Assembly })
            {
                var handler = Handler(build, Settings(build, (type, s) => type.GetProperty("Proxy")!.SetValue(s, new Uri("http://proxy.example.com:3128"))));
                var remote = (IWebProxy)handler.GetType().GetProperty("Proxy")!.GetValue(handler)!;
                Assert.True(remote.IsBypassed(new Uri("http://127.0.0.1:8080/api/v2/connections")), build.Location);
                Assert.True(remote.IsBypassed(new Uri("http://localhost:8080/")), build.Location);
                Assert.True(remote.IsBypassed(new Uri("http://[::1]:8080/")), build.Location);
                Assert.False(remote.IsBypassed(new Uri("https://airflow.example.com/")), build.Location);
            }

            var settings = new HttpSettings { Proxy = new Uri("http://proxy.example.com:3128") };
            Assert.Null(settings.ProxyFor(new Uri("http://127.0.0.1:8080/")));
            Assert.Equal(new Uri("http://proxy.example.com:3128"), settings.ProxyFor(new Uri("https://api.ecr.eu-west-1.amazonaws.com/")));
        }

        [Fact]
        public void A_secret_to_an_http_target_through_a_remote_http_proxy_is_refused_before_any_request()
        {
            var settings = new HttpSettings { Proxy = new Uri("http://proxy.example.com:3128") };
            var ex = Assert.Throws<EcrAirflowException>(() =>
                settings.EnsureNextHopMayCarrySecrets(new Uri("http://airflow.example.com/"), false, "the Airflow password", "-AirflowUrl"));
            Assert.Equal("UnencryptedAuthenticationRefused", ex.ErrorId);
            Assert.Contains("proxy.example.com", ex.Message);
            settings.EnsureNextHopMayCarrySecrets(new Uri("http://airflow.example.com/"), true, "the Airflow password", "-AirflowUrl");
            settings.EnsureNextHopMayCarrySecrets(new Uri("https://airflow.example.com/"), false, "the Airflow password", "-AirflowUrl");

            var withPassword = new HttpSettings { Proxy = new Uri("http://proxy.example.com:3128"), ProxyCredential = new NetworkCredential("u", "proxy-Pa55") };
            var refused = Assert.Throws<EcrAirflowException>(() =>
                withPassword.EnsureNextHopMayCarrySecrets(new Uri("https://airflow.example.com/"), false, "the Airflow password", "-AirflowUrl"));
            Assert.Equal("UnencryptedAuthenticationRefused", refused.ErrorId);
            Assert.DoesNotContain("proxy-Pa55", refused.Message + refused.Hint);
        }

        [Fact]
        public void A_proxy_password_for_a_remote_http_proxy_is_refused_even_for_a_loopback_target_that_goes_direct()
        {
            // As -Proxy with -ProxyCredential is refused before any target is known: the password is meant for
            // that proxy (the system proxy, here, in Pester with HTTP_PROXY; -Proxy is the one a unit test can set).
            var withPassword = new HttpSettings { Proxy = new Uri("http://proxy.example.com:3128"), ProxyCredential = new NetworkCredential("u", "proxy-Pa55") };
            Assert.Null(withPassword.ProxyFor(new Uri("http://127.0.0.1:8080/")));
            var refused = Assert.Throws<EcrAirflowException>(() =>
                withPassword.EnsureNextHopMayCarrySecrets(new Uri("http://127.0.0.1:8080/"), false, "the Airflow password", "-AirflowUrl"));
            Assert.Equal("UnencryptedAuthenticationRefused", refused.ErrorId);
            Assert.Contains("-ProxyCredential", refused.Message);
            withPassword.EnsureNextHopMayCarrySecrets(new Uri("http://127.0.0.1:8080/"), true, "the Airflow password", "-AirflowUrl");

            var local = new HttpSettings { Proxy = new Uri("http://127.0.0.1:3128"), ProxyCredential = new NetworkCredential("u", "proxy-Pa55") };
            local.EnsureNextHopMayCarrySecrets(new Uri("http://127.0.0.1:8080/"), false, "the Airflow password", "-AirflowUrl");
            var tls = new HttpSettings { Proxy = new Uri("https://proxy.example.com:3129"), ProxyCredential = new NetworkCredential("u", "proxy-Pa55") };
            tls.EnsureNextHopMayCarrySecrets(new Uri("http://127.0.0.1:8080/"), false, "the Airflow password", "-AirflowUrl");
        }

        [Fact]
        public void Both_builds_send_no_Expect_100_continue_and_use_no_client_timeout()
        {
            foreach (var build in new[] { NetStandardBuild.Value, typeof(HttpClientCache).Assembly })
            {
                var get = build.GetType("EcrAirflow.Core.Internal.Http.HttpClientCache", true)!.GetMethod("Get", new[] { typeof(bool) })!;
                var client = (HttpClient)get.Invoke(null, new object[] { false })!;
                Assert.False(client.DefaultRequestHeaders.ExpectContinue, build.Location);
                Assert.Equal(System.Threading.Timeout.InfiniteTimeSpan, client.Timeout);
            }
        }

        [Fact]
        public void The_net8_build_leaves_the_protocols_to_the_OS_and_follows_no_redirect()
        {
            var handler = Assert.IsType<SocketsHttpHandler>(HttpClientCache.CreateHandler(new HttpSettings()));
            Assert.Equal(SslProtocols.None, handler.SslOptions.EnabledSslProtocols); // .NET 8+: the OS's TLS 1.2/1.3
            Assert.False(handler.AllowAutoRedirect);
            Assert.False(handler.UseCookies);
            Assert.Equal(DecompressionMethods.GZip | DecompressionMethods.Deflate, handler.AutomaticDecompression);
        }

        [Fact]
        public void An_explicit_proxy_is_used_for_loopback_too_with_its_credential()
        {
            foreach (var build in new[] { NetStandardBuild.Value, typeof(HttpClientCache).Assembly })
            {
                var settings = Settings(build, (type, s) =>
                {
                    type.GetProperty("Proxy")!.SetValue(s, new Uri("http://127.0.0.1:3128"));
                    type.GetProperty("ProxyCredential")!.SetValue(s, new NetworkCredential("proxy-user", "proxy-Pa55"));
                });
                var handler = Handler(build, settings);
                var proxy = (IWebProxy)handler.GetType().GetProperty("Proxy")!.GetValue(handler)!;
                Assert.False(proxy.IsBypassed(new Uri("http://127.0.0.1:8080/api/v2/connections")), "loopback peers go through an explicit -Proxy");
                Assert.Equal(new Uri("http://127.0.0.1:3128"), proxy.GetProxy(new Uri("https://api.ecr.eu-west-1.amazonaws.com/")));
                Assert.Equal("proxy-user", proxy.Credentials!.GetCredential(new Uri("http://127.0.0.1:3128"), "Basic")!.UserName);
            }
        }

        [Theory]
        [InlineData(48 | 192, false, 48 | 192 | 3072)] // Ssl3 | Tls, the .NET Framework default on many machines
        [InlineData(192, true, 192 | 3072 | 12288)]
        [InlineData(0, true, 0)] // SystemDefault: the OS decides, and is left alone
        public void The_process_wide_protocols_only_ever_gain_TLS_1_2(int current, bool tls13, int expected)
        {
#pragma warning disable SYSLIB0014, CS0618
            Assert.Equal((SecurityProtocolType)expected, FrameworkDefaults.Additive((SecurityProtocolType)current, tls13));
#pragma warning restore SYSLIB0014, CS0618
        }

        [Fact]
        public void The_proxy_password_is_not_in_the_client_cache_key()
        {
            var settings = new HttpSettings { Proxy = new Uri("http://127.0.0.1:3128"), ProxyCredential = new NetworkCredential("u", "proxy-Secret-Pa55") };
            Assert.DoesNotContain("proxy-Secret-Pa55", settings.Key());
            Assert.NotEqual(settings.Key(), new HttpSettings { Proxy = settings.Proxy, ProxyCredential = new NetworkCredential("u", "other-password") }.Key());
        }
    }
}
