using System;
using System.Collections.Generic;
using System.Linq;

namespace EcrAirflow.Modes
{
    /// <summary>
    /// One value of -Mode, as the rest of the module sees it: its name, its parameter class (which also says what it
    /// is and makes its target, see <see cref="ModeParameters"/>), and what follows from them.
    /// </summary>
    internal sealed class ModeDefinition
    {
        private readonly ModeParameters _defaults;

        public ModeDefinition(SyncMode mode, Type parametersType)
        {
            if (!typeof(ModeParameters).IsAssignableFrom(parametersType) || parametersType.GetConstructor(Type.EmptyTypes) == null)
            {
                throw new InvalidOperationException($"SyncMode.{mode} registers {parametersType.Name}, which is not a ModeParameters class with a parameterless constructor.");
            }

            Mode = mode;
            ParametersType = parametersType;
            _defaults = NewParameters();
        }

        public SyncMode Mode { get; }

        public Type ParametersType { get; }

        public string Name => Mode.ToString();

        /// <summary>One sentence for help: where this mode keeps connections.</summary>
        public string Summary => _defaults.Summary;

        /// <summary>What one write is, for -WhatIf/-Confirm ("Airflow connection", "secret").</summary>
        public string Writes => _defaults.Writes;

        /// <summary>A mode that takes the shared proxy parameters and -AllowUnencryptedAuthentication.</summary>
        public bool UsesHttp => typeof(IHttpModeParameters).IsAssignableFrom(ParametersType);

        /// <summary>A mode that takes the shared AWS parameters (region, credentials, role, endpoint).</summary>
        public bool UsesAws => typeof(IAwsModeParameters).IsAssignableFrom(ParametersType);

        /// <summary>A parameter object holding this mode's defaults.</summary>
        public ModeParameters NewParameters() => (ModeParameters)Activator.CreateInstance(ParametersType, nonPublic: true)!;

        public IConnectionTarget CreateTarget(ModeParameters parameters, ModeContext context) => parameters.CreateTarget(context);

        public override string ToString() => Name;
    }

    /// <summary>
    /// Every mode, in <see cref="SyncMode"/>'s order. SyncMode (the type of -Mode) lives in EcrAirflow.dll, which
    /// PowerShell reads at import, so each value's parameter class is registered here, one line per mode.
    /// </summary>
    internal static class ModeRegistry
    {
        private static readonly Dictionary<SyncMode, Type> Registrations = new Dictionary<SyncMode, Type>
        {
            [SyncMode.Rest] = typeof(Rest.RestParameters),
            [SyncMode.Cli] = typeof(Cli.CliParameters),
            [SyncMode.EnvironmentVariable] = typeof(EnvironmentVariable.EnvironmentVariableParameters),
            [SyncMode.SecretsManager] = typeof(SecretsManager.SecretsManagerParameters),
            [SyncMode.ParameterStore] = typeof(ParameterStore.ParameterStoreParameters),
            [SyncMode.Mwaa] = typeof(Mwaa.MwaaParameters),
        };

        private static IReadOnlyList<ModeDefinition>? _all;

        public static IReadOnlyList<ModeDefinition> All => _all ??= Load();

        public static ModeDefinition Get(SyncMode mode) => All.FirstOrDefault(m => m.Mode == mode)
            ?? throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a registered mode.");

        private static IReadOnlyList<ModeDefinition> Load() => ((SyncMode[])Enum.GetValues(typeof(SyncMode)))
            .Select(mode => new ModeDefinition(mode, Registrations.TryGetValue(mode, out var parameters)
                ? parameters
                : throw new InvalidOperationException($"SyncMode.{mode} has no parameter class in ModeRegistry's registrations.")))
            .ToList();
    }
}
