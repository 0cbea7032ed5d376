using System;
using System.Collections.Generic;
using System.Linq;

namespace EcrAirflow.Core.Modes
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
    /// PowerShell reads at import; its value is a mode's one registration line. The mode's definition is found by
    /// its folder's convention: the parameter class EcrAirflow.Core.Modes.&lt;Mode&gt;.&lt;Mode&gt;Parameters
    /// (src/EcrAirflow.Core/Modes/&lt;Mode&gt;/&lt;Mode&gt;Parameters.cs). A value without that class fails here, at
    /// the first use of any mode, and in the unit tests (ModeRegistryTests), never at a user's first Sync.
    /// </summary>
    internal static class ModeRegistry
    {
        private static IReadOnlyList<ModeDefinition>? _all;

        public static IReadOnlyList<ModeDefinition> All => _all ??= Load();

        public static ModeDefinition Get(SyncMode mode) => All.FirstOrDefault(m => m.Mode == mode)
            ?? throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a registered mode.");

        /// <summary>The parameter class a mode's folder must hold.</summary>
        public static string ParametersTypeName(SyncMode mode) => $"{typeof(ModeRegistry).Namespace}.{mode}.{mode}Parameters";

        private static IReadOnlyList<ModeDefinition> Load() => ((SyncMode[])Enum.GetValues(typeof(SyncMode)))
            .Select(mode => new ModeDefinition(mode, typeof(ModeRegistry).Assembly.GetType(ParametersTypeName(mode), throwOnError: false)
                ?? throw new InvalidOperationException($"SyncMode.{mode} has no parameter class: its folder must hold {ParametersTypeName(mode)}.")))
            .ToList();
    }
}
