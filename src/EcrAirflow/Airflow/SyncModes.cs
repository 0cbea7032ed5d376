using System;
using System.Collections.Generic;
using System.Linq;

namespace EcrAirflow.Airflow
{
    /// <summary>One mode-specific parameter of Sync-AirflowEcrConnection, as a mode declares it.</summary>
    internal sealed class ModeParameter
    {
        public ModeParameter(string name, object? defaultValue = null, string? defaultText = null, bool required = false, string[]? values = null)
        {
            Name = name;
            Default = defaultValue;
            DefaultText = defaultText ?? (defaultValue is string[] list ? string.Join(",", list) : defaultValue?.ToString());
            Required = required;
            Values = values;
        }

        public string Name { get; }

        /// <summary>The value the mode uses when the parameter is not given (null: none).</summary>
        public object? Default { get; }

        /// <summary>The default as help shows it ("30", "the temp folder").</summary>
        public string? DefaultText { get; }

        public bool Required { get; }

        /// <summary>For tab completion: the values this mode accepts, default first (null: no completion).</summary>
        public string[]? Values { get; }

        public override string ToString() => "-" + Name;
    }

    /// <summary>Two parameters of a mode that cannot be given together.</summary>
    internal sealed record ModeConflict(string First, string Second, string ErrorId, string Message, string Hint);

    /// <summary>One value of -Mode: what it accepts, what it writes, and the target class that does it.</summary>
    internal sealed class ModeDefinition
    {
        private readonly Dictionary<string, ModeParameter> _byName;

        public ModeDefinition(SyncMode mode, string summary, string writes, Func<SyncOptions, IConnectionTarget> createTarget,
            IEnumerable<ModeParameter> parameters, IEnumerable<ModeConflict>? conflicts = null)
        {
            Mode = mode;
            Summary = summary;
            Writes = writes;
            CreateTarget = createTarget;
            Parameters = parameters.ToList();
            Conflicts = (conflicts ?? Enumerable.Empty<ModeConflict>()).ToList();
            _byName = Parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        }

        public SyncMode Mode { get; }

        /// <summary>One sentence for help: where this mode writes.</summary>
        public string Summary { get; }

        /// <summary>What one write is, for -WhatIf/-Confirm ("Airflow connection", "secret").</summary>
        public string Writes { get; }

        public Func<SyncOptions, IConnectionTarget> CreateTarget { get; }

        public IReadOnlyList<ModeParameter> Parameters { get; }

        public IReadOnlyList<ModeConflict> Conflicts { get; }

        public bool Accepts(string parameterName) => _byName.ContainsKey(parameterName);

        /// <summary>A mode that writes to AWS with the shared AWS parameters (<see cref="SyncModes.AwsParameters"/>).</summary>
        public bool UsesAws => Accepts("AwsCredential");

        public ModeParameter? Find(string parameterName) => _byName.TryGetValue(parameterName, out var p) ? p : null;

        /// <summary>The default of a parameter in this mode, converted to T (default(T) when it has none).</summary>
        public T Default<T>(string parameterName) => _byName.TryGetValue(parameterName, out var p) && p.Default is T value ? value : default!;
    }

    /// <summary>
    /// The single declaration of Sync-AirflowEcrConnection's modes. For every -Mode value: the parameters it
    /// accepts and their defaults there, the conflicts between them, and its target class. It drives the
    /// ParameterNotValidForMode check (before any network call), the -WhatIf text, the per-mode parameter
    /// lists in the help (build/Help.ps1 reads <see cref="HelpSections"/>) and tab completion
    /// (<see cref="Commands.ModeArgumentCompleter"/>). Adding a mode is one entry here, one target class and
    /// one help section.
    /// </summary>
    internal static class SyncModes
    {
        /// <summary>Parameters every mode takes: the piped credential, what goes into the connection, and the switches.</summary>
        public static readonly IReadOnlyList<string> Common = new[]
        {
            "Registry", "UserName", "Password", "ExpiresAt", "ConnectionId", "Description", "Email", "Reauth", "Mode", "Force",
        };

        private static readonly string[] Formats = { nameof(ConnectionFormat.Uri), nameof(ConnectionFormat.Json) };

        /// <summary>
        /// What every AWS-backed mode takes: the AWS parameters both cmdlets share (Commands.AwsCmdletBase), -Region
        /// and -AwsCredential, and the HTTP limits.
        /// </summary>
        public static IEnumerable<ModeParameter> AwsParameters() => new[]
        {
            new ModeParameter("Region", defaultText: "AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else the piped credential's Region"),
            new ModeParameter("AwsCredential"),
            new ModeParameter("SessionToken"),
            new ModeParameter("ProfileName"),
            new ModeParameter("ProfileLocation"),
            new ModeParameter("RoleArn"),
            new ModeParameter("RoleSessionName"),
            new ModeParameter("ExternalId"),
            new ModeParameter("EndpointUrl"),
            new ModeParameter("UseFipsEndpoint"),
            new ModeParameter("UseDualStackEndpoint"),
            new ModeParameter("AllowUnencryptedAuthentication"),
            new ModeParameter("TimeoutSec", Internal.HttpDefaults.TimeoutSec),
            new ModeParameter("MaximumRetryCount", Internal.HttpDefaults.MaximumRetryCount),
        }.Concat(ProxyParameters());

        /// <summary>What every mode that talks HTTP takes: the proxy (the system's by default).</summary>
        public static IEnumerable<ModeParameter> ProxyParameters() => new[]
        {
            new ModeParameter("Proxy", defaultText: "the system proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY; WinINET on Windows)"),
            new ModeParameter("ProxyCredential"),
            new ModeParameter("ProxyUseDefaultCredentials"),
        };

        public static readonly IReadOnlyList<ModeDefinition> All = new[]
        {
            new ModeDefinition(
                SyncMode.Rest,
                "Airflow's database through the REST API: API v1 on Airflow 2, one bulk request to API v2 on Airflow 3.",
                "Airflow connection",
                options => new Rest.RestConnectionTarget(options),
                new[]
                {
                    new ModeParameter("AirflowUrl", required: true),
                    new ModeParameter("AirflowCredential"),
                    new ModeParameter("AccessToken"),
                    new ModeParameter("ApiVersion", AirflowApiVersion.Auto, values: new[] { "Auto", "V1", "V2" }),
                    new ModeParameter("TimeoutSec", Internal.HttpDefaults.TimeoutSec),
                    new ModeParameter("MaximumRetryCount", Internal.HttpDefaults.MaximumRetryCount),
                    new ModeParameter("SkipCertificateCheck"),
                    new ModeParameter("AllowUnencryptedAuthentication"),
                }.Concat(ProxyParameters()),
                new[]
                {
                    new ModeConflict("AirflowCredential", "AccessToken", "CredentialAndAccessToken",
                        "-AirflowCredential and -AccessToken cannot be used together.", "Use one way to authenticate."),
                }),
            new ModeDefinition(
                SyncMode.Cli,
                "Airflow's database through one 'airflow connections import FILE --overwrite' (Airflow 2.6 or later).",
                "Airflow connection",
                options => new Cli.CliConnectionTarget(options),
                new[]
                {
                    new ModeParameter("AirflowCommand", new[] { "airflow" }, values: new[] { "airflow" }),
                    new ModeParameter("WorkingDirectory", defaultText: "the temp folder"),
                    new ModeParameter("TimeoutSec", 300),
                }),
            new ModeDefinition(
                SyncMode.EnvironmentVariable,
                "AIRFLOW_CONN_<ID> variables: this process, the Windows user or machine, a dotenv file, and the CI system's job environment.",
                "Airflow connection variable",
                options => new EnvironmentVariables.EnvironmentConnectionTarget(options),
                new[]
                {
                    new ModeParameter("Format", ConnectionFormat.Uri, values: Formats),
                    new ModeParameter("Scope", VariableScope.Process, values: new[] { "Process", "User", "Machine" }),
                    new ModeParameter("Path"),
                    new ModeParameter("CiSystem", CiSystem.Auto, values: new[] { "Auto", "GitHubActions", "AzurePipelines", "None" }),
                    new ModeParameter("IncludeValue"),
                },
                new[]
                {
                    new ModeConflict("Path", "Scope", "PathAndScopeTogether",
                        "-Path and -Scope cannot be used together: -Path writes the dotenv file instead of a scope.",
                        "Run the command twice, once with -Path and once with -Scope, if you need both."),
                }),
            new ModeDefinition(
                SyncMode.SecretsManager,
                "AWS Secrets Manager, where the amazon provider's SecretsManagerBackend reads <prefix>/<conn id>: PutSecretValue (a new version), CreateSecret the first time.",
                "secret",
                options => new AwsStores.SecretsManagerTarget(options),
                new[]
                {
                    new ModeParameter("ConnectionsPrefix", "airflow/connections", values: new[] { "airflow/connections" }),
                    new ModeParameter("Separator", "/", values: new[] { "/" }),
                    new ModeParameter("Format", ConnectionFormat.Json, values: new[] { "Json", "Uri" }),
                    new ModeParameter("KmsKeyId", defaultText: "aws/secretsmanager"),
                    new ModeParameter("Tag"),
                }.Concat(AwsParameters())),
            new ModeDefinition(
                SyncMode.ParameterStore,
                "SSM Parameter Store, where the amazon provider's SystemsManagerParameterStoreBackend reads /<prefix>/<conn id>: one SecureString PutParameter with Overwrite.",
                "parameter",
                options => new AwsStores.ParameterStoreTarget(options),
                new[]
                {
                    new ModeParameter("ConnectionsPrefix", "/airflow/connections", values: new[] { "/airflow/connections" }),
                    new ModeParameter("Format", ConnectionFormat.Json, values: new[] { "Json", "Uri" }),
                    new ModeParameter("KmsKeyId", defaultText: "alias/aws/ssm"),
                    new ModeParameter("Tier", defaultText: "by size: the account's default up to 4 KB, Advanced above"),
                    new ModeParameter("Tag"),
                }.Concat(AwsParameters())),
            new ModeDefinition(
                SyncMode.Mwaa,
                "Amazon MWAA's Airflow database through InvokeRestApi, signed with AWS credentials (environments on Airflow 2.4.3 or later): API v1 on Airflow 2, one bulk request on Airflow 3.",
                "Airflow connection",
                options => new Mwaa.MwaaConnectionTarget(options),
                new[]
                {
                    new ModeParameter("MwaaEnvironmentName", required: true),
                    new ModeParameter("ApiVersion", AirflowApiVersion.Auto, values: new[] { "Auto", "V1", "V2" }),
                }.Concat(AwsParameters())),
        };

        public static ModeDefinition Get(SyncMode mode) => All.First(m => m.Mode == mode);

        /// <summary>The modes that accept a parameter (empty for a common one).</summary>
        public static IEnumerable<ModeDefinition> Accepting(string parameterName) => All.Where(m => m.Accepts(parameterName));

        /// <summary>Whether a parameter is specific to some mode (as opposed to common to all).</summary>
        public static bool IsModeSpecific(string parameterName) => All.Any(m => m.Accepts(parameterName));

        /// <summary>
        /// Per-mode parameter lists for the help (one paragraph per mode), and per parameter the line "Modes: …"
        /// appended to its description. Read by build/Help.ps1 through reflection.
        /// </summary>
        internal static string[] HelpSections() => All.Select(m =>
            $"-Mode {m.Mode}: {m.Summary} Parameters: " +
            string.Join(", ", m.Parameters.Select(p => "-" + p.Name + (p.Required ? " (required)" : p.DefaultText != null ? $" (default {p.DefaultText})" : string.Empty))) + ".")
            .ToArray();

        /// <summary>
        /// The help's "Default value" of a mode-specific parameter: the value when every mode that takes it
        /// agrees, else "Cli: 300; Rest, SecretsManager, ParameterStore: 30"; null when no mode gives one.
        /// </summary>
        internal static string? HelpDefault(string parameterName)
        {
            var modes = Accepting(parameterName).ToList();
            var groups = modes
                .Where(m => m.Find(parameterName)!.DefaultText != null)
                .GroupBy(m => m.Find(parameterName)!.DefaultText!)
                .OrderBy(g => g.Count())
                .ToList();
            if (groups.Count == 0)
            {
                return null;
            }

            if (groups.Count == 1 && groups[0].Count() == modes.Count)
            {
                return groups[0].Key;
            }

            return string.Join("; ", groups.Select(g => string.Join(", ", g.Select(m => m.Mode)) + ": " + g.Key));
        }

        /// <summary>The "Modes: Rest (default 30), Cli (default 300)." line for one parameter; null for a common one.</summary>
        internal static string? HelpModesLine(string parameterName)
        {
            var modes = Accepting(parameterName).ToList();
            if (modes.Count == 0)
            {
                return null;
            }

            return "Modes: " + string.Join(", ", modes.Select(m =>
            {
                var p = m.Find(parameterName)!;
                return m.Mode + (p.Required ? " (required)" : p.DefaultText != null ? $" (default {p.DefaultText})" : string.Empty);
            })) + ".";
        }
    }
}
