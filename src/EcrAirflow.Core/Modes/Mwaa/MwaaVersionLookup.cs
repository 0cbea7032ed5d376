using System;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EcrAirflow.Core.Airflow;
using EcrAirflow.Core.AwsApi;
using EcrAirflow.Core.Internal;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Modes.Mwaa
{
    /// <summary>
    /// -ApiVersion Auto in Mwaa mode: GetEnvironment (GET /environments/{Name}, host prefix api., needs
    /// airflow:GetEnvironment) once per endpoint, region and environment per session, and its
    /// Environment.AirflowVersion: Airflow 3 or later speaks API v2, Airflow 2 API v1, and anything before
    /// 2.4.3 has no InvokeRestApi at all (refused here, naming the version).
    /// </summary>
    internal static class MwaaVersionLookup
    {
        private static readonly Version Minimum = new Version(2, 4, 3);

        private static readonly ConcurrentDictionary<string, (AirflowApiVersion Api, string Version)> Known =
            new ConcurrentDictionary<string, (AirflowApiVersion, string)>(StringComparer.Ordinal);

        /// <summary>The version already read in this session, if any (for -WhatIf and the path check before any call).</summary>
        public static AirflowApiVersion? Cached(IAwsSession session, string environment) =>
            Known.TryGetValue(Key(session, environment), out var known) ? known.Api : (AirflowApiVersion?)null;

        public static async Task<AirflowApiVersion> ResolveAsync(IAwsSession session, string environment, SecretRedactor redactor, IOperationLog log, CancellationToken cancellationToken)
        {
            var key = Key(session, environment);
            if (Known.TryGetValue(key, out var known))
            {
                log.Verbose($"MWAA environment {environment} ({session.Region}) runs Airflow {known.Version}: API {known.Api} (read earlier in this session).");
                return known.Api;
            }

            var call = new AwsCall("GetEnvironment", Array.Empty<byte>(), "airflow:GetEnvironment")
            {
                Method = "GET",
                Path = "/environments/" + Uri.EscapeDataString(environment),
                HostPrefix = "api.",
                Redactor = redactor,
            };
            AwsReply reply;
            try
            {
                reply = await session.SendAsync(call, log, cancellationToken).ConfigureAwait(false);
            }
            catch (EcrAirflowException ex) when (ex.ErrorId == MwaaErrors.AccessDenied)
            {
                throw MwaaErrors.GetEnvironmentDenied(ex, environment, session.Region);
            }

            if (!reply.IsSuccess)
            {
                throw reply.ErrorCode switch
                {
                    "ResourceNotFoundException" => MwaaErrors.NotFound(call, reply, environment, session.Region),
                    "ValidationException" => MwaaErrors.Invalid(call, reply),
                    _ => AwsErrors.Unexpected(AwsService.Mwaa, call, reply),
                };
            }

            var (version, status) = Read(reply.Body);
            var api = ApiFor(version, environment, session.Region);
            log.Verbose($"MWAA environment {environment} ({session.Region}) runs Airflow {version}{(status != null ? ", status " + status : string.Empty)}: API {api}.");
            Known[key] = (api, version);
            return api;
        }

        /// <summary>Drops a version that turned out wrong (the environment was upgraded): read it again next time.</summary>
        public static void Forget(IAwsSession session, string environment) => Known.TryRemove(Key(session, environment), out _);

        internal static void ClearForTests() => Known.Clear();

        /// <summary>API v2 from Airflow 3 on, v1 from 2.4.3; older environments are refused.</summary>
        internal static AirflowApiVersion ApiFor(string airflowVersion, string environment, string region)
        {
            var parsed = MwaaErrors.ParseAirflowVersion(airflowVersion)
                ?? throw AwsErrors.Malformed(AwsService.Mwaa, "GetEnvironment", $"AirflowVersion '{ConnectionInput.Printable(airflowVersion, 40)}' is not a version");
            if (parsed < Minimum)
            {
                throw MwaaErrors.TooOld(environment, region, airflowVersion);
            }

            return parsed.Major >= 3 ? AirflowApiVersion.V2 : AirflowApiVersion.V1;
        }

        private static (string Version, string? Status) Read(string body)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("Environment", out var env)
                    && env.ValueKind == JsonValueKind.Object
                    && env.TryGetProperty("AirflowVersion", out var v)
                    && v.ValueKind == JsonValueKind.String
                    && !string.IsNullOrEmpty(v.GetString()))
                {
                    var status = env.TryGetProperty("Status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                    return (v.GetString()!, status);
                }
            }
            catch (JsonException ex)
            {
                throw AwsErrors.Malformed(AwsService.Mwaa, "GetEnvironment", "it is not JSON", ex);
            }

            throw AwsErrors.Malformed(AwsService.Mwaa, "GetEnvironment", "it has no Environment.AirflowVersion");
        }

        private static string Key(IAwsSession session, string environment) =>
            AwsEndpoints.Display(session.Endpoint.Url) + "\n" + session.Region + "\n" + environment;
    }
}
