using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

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

    /// <summary>Registers a mode: on a <see cref="SyncMode"/> value, the parameter class in the mode's folder.</summary>
    [AttributeUsage(AttributeTargets.Field)]
    internal sealed class ModeAttribute : Attribute
    {
        public ModeAttribute(Type parameters) => Parameters = parameters;

        public Type Parameters { get; }
    }

    /// <summary>Every mode, in <see cref="SyncMode"/>'s order, from the <see cref="ModeAttribute"/> on each value.</summary>
    internal static class ModeRegistry
    {
        private static IReadOnlyList<ModeDefinition>? _all;

        public static IReadOnlyList<ModeDefinition> All => _all ??= Load();

        public static ModeDefinition Get(SyncMode mode) => All.FirstOrDefault(m => m.Mode == mode)
            ?? throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a registered mode.");

        private static IReadOnlyList<ModeDefinition> Load() => typeof(SyncMode)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => new ModeDefinition((SyncMode)field.GetValue(null)!,
                (field.GetCustomAttribute<ModeAttribute>() ?? throw new InvalidOperationException($"SyncMode.{field.Name} has no [Mode(typeof(...))] registration.")).Parameters))
            .ToList();
    }
}
