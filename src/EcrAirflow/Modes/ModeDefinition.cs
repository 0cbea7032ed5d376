using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using EcrAirflow.Modes.Rest;

namespace EcrAirflow.Modes
{
    /// <summary>
    /// One value of -Mode: what it is called and says in help and -WhatIf, its parameter class, and how it makes
    /// its target. Each mode's folder has one (RestMode, CliMode, …); <see cref="SyncMode"/> registers it.
    /// </summary>
    internal abstract class ModeDefinition
    {
        public abstract SyncMode Mode { get; }

        /// <summary>One sentence for help: where this mode keeps connections.</summary>
        public abstract string Summary { get; }

        /// <summary>What one write is, for -WhatIf/-Confirm ("Airflow connection", "secret").</summary>
        public abstract string Writes { get; }

        public abstract Type ParametersType { get; }

        public string Name => Mode.ToString();

        /// <summary>A mode that takes the shared proxy parameters and -AllowUnencryptedAuthentication.</summary>
        public bool UsesHttp => typeof(IHttpModeParameters).IsAssignableFrom(ParametersType);

        /// <summary>A mode that takes the shared AWS parameters (region, credentials, role, endpoint).</summary>
        public bool UsesAws => typeof(IAwsModeParameters).IsAssignableFrom(ParametersType);

        /// <summary>A parameter object holding this mode's defaults.</summary>
        public abstract ModeParameters NewParameters();

        /// <summary>
        /// The target for what the user gave. It checks everything it can without a request (URL, folder, names)
        /// and throws <see cref="EcrAirflowException"/> for what is wrong; it does no I/O until it writes or reads.
        /// </summary>
        public abstract IConnectionTarget CreateTarget(ModeParameters parameters, ModeContext context);

        public override string ToString() => Name;
    }

    /// <summary>A mode whose parameters are <typeparamref name="TParameters"/>.</summary>
    internal abstract class ModeDefinition<TParameters> : ModeDefinition
        where TParameters : ModeParameters, new()
    {
        public sealed override Type ParametersType => typeof(TParameters);

        public sealed override ModeParameters NewParameters() => new TParameters();

        public sealed override IConnectionTarget CreateTarget(ModeParameters parameters, ModeContext context) =>
            CreateTarget((TParameters)parameters, context);

        protected abstract IConnectionTarget CreateTarget(TParameters parameters, ModeContext context);
    }

    /// <summary>Registers a mode: on a <see cref="SyncMode"/> value, the <see cref="ModeDefinition"/> class that implements it.</summary>
    [AttributeUsage(AttributeTargets.Field)]
    internal sealed class ModeAttribute : Attribute
    {
        public ModeAttribute(Type definition) => Definition = definition;

        public Type Definition { get; }
    }

    /// <summary>Every mode, in <see cref="SyncMode"/>'s order, from the <see cref="ModeAttribute"/> on each value.</summary>
    internal static class ModeRegistry
    {
        private static IReadOnlyList<ModeDefinition>? _all;

        public static IReadOnlyList<ModeDefinition> All => _all ??= Load();

        public static ModeDefinition Get(SyncMode mode) => All.FirstOrDefault(m => m.Mode == mode)
            ?? throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a registered mode.");

        private static IReadOnlyList<ModeDefinition> Load()
        {
            var modes = new List<ModeDefinition>();
            foreach (var field in typeof(SyncMode).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var attribute = field.GetCustomAttribute<ModeAttribute>()
                    ?? throw new InvalidOperationException($"SyncMode.{field.Name} has no [Mode(typeof(...))] registration.");
                var definition = (ModeDefinition)Activator.CreateInstance(attribute.Definition, nonPublic: true)!;
                if (definition.Mode != (SyncMode)field.GetValue(null)!)
                {
                    throw new InvalidOperationException($"SyncMode.{field.Name} registers {attribute.Definition.Name}, which says it is {definition.Mode}.");
                }

                modes.Add(definition);
            }

            return modes;
        }
    }
}
