using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace EcrAirflow.Core.Modes
{
    /// <summary>One parameter as a mode takes it: its own (a property of its parameter class) or a cmdlet's shared one.</summary>
    internal sealed class ModeParameterInfo
    {
        public ModeParameterInfo(string name, Type type, PropertyInfo? property, IReadOnlyList<Attribute> attributes, string? defaultText)
        {
            Name = name;
            Type = type;
            Property = property;
            Attributes = attributes;
            DefaultText = defaultText;
            RequiredHint = attributes.OfType<RequiredInModeAttribute>().FirstOrDefault()?.Hint;
            Values = attributes.OfType<CompletionValuesAttribute>().FirstOrDefault()?.Values;
            IsProviderPath = attributes.OfType<ProviderPathAttribute>().Any();
        }

        public string Name { get; }

        public Type Type { get; }

        /// <summary>The mode's own property; null for a shared parameter the cmdlet declares itself.</summary>
        public PropertyInfo? Property { get; }

        public IReadOnlyList<Attribute> Attributes { get; }

        /// <summary>The default as help shows it ("30", "airflow", "the temp folder"); null: none.</summary>
        public string? DefaultText { get; }

        public bool Required => RequiredHint != null;

        public string? RequiredHint { get; }

        /// <summary>What tab completion offers in this mode, default first (null: nothing).</summary>
        public string[]? Values { get; }

        public bool IsProviderPath { get; }

        public override string ToString() => "-" + Name;
    }

    /// <summary>
    /// Every mode's parameters, read once from the parameter classes (and from the [SharedModeParameter] properties of
    /// the cmdlet that takes -Mode): the union each such cmdlet offers as dynamic parameters, what each mode accepts
    /// with its default there, and the help and completion that follow from it. Built by reflection on first use
    /// (never at import).
    /// </summary>
    internal sealed class ModeParameterTable
    {
        private static readonly Dictionary<Type, ModeParameterTable> Tables = new Dictionary<Type, ModeParameterTable>();

        private readonly Dictionary<SyncMode, List<ModeParameterInfo>> _byMode = new Dictionary<SyncMode, List<ModeParameterInfo>>();
        private readonly List<ModeParameterInfo> _dynamic = new List<ModeParameterInfo>();
        private readonly HashSet<string> _modeSpecific = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        private ModeParameterTable(Type cmdletType)
        {
            var shared = SharedParameters(cmdletType).ToList();
            foreach (var mode in ModeRegistry.All)
            {
                // Help order: the mode's own parameters, then the cmdlet's shared ones it takes, then what its
                // parameter class inherits (the AWS-backed modes' -TimeoutSec and -MaximumRetryCount).
                var defaults = mode.NewParameters();
                var own = new List<ModeParameterInfo>();
                var inherited = new List<ModeParameterInfo>();
                foreach (var property in OwnProperties(mode.ParametersType))
                {
                    var attributes = property.GetCustomAttributes(inherit: true).Cast<Attribute>().ToList();
                    var info = new ModeParameterInfo(property.Name, property.PropertyType, property, attributes, DefaultText(attributes, property.GetValue(defaults)));
                    (property.DeclaringType == mode.ParametersType ? own : inherited).Add(info);
                    AddDynamic(info, mode);
                }

                var list = own.Concat(shared.Where(s => s.Group.IsAssignableFrom(mode.ParametersType)).Select(s => s.Info)).Concat(inherited).ToList();
                _byMode[mode.Mode] = list;
                foreach (var info in list)
                {
                    _modeSpecific.Add(info.Name);
                }
            }
        }

        /// <summary>The table for a cmdlet that takes -Mode (its shared parameters are part of it).</summary>
        public static ModeParameterTable For(Type cmdletType)
        {
            lock (Tables)
            {
                if (!Tables.TryGetValue(cmdletType, out var table))
                {
                    table = new ModeParameterTable(cmdletType);
                    Tables[cmdletType] = table;
                }

                return table;
            }
        }

        public IReadOnlyList<ModeParameterInfo> Parameters(SyncMode mode) => _byMode[mode];

        public ModeParameterInfo? Find(SyncMode mode, string name) =>
            _byMode[mode].FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        public bool Accepts(SyncMode mode, string name) => Find(mode, name) != null;

        /// <summary>Whether some mode, and not every cmdlet call, takes this parameter.</summary>
        public bool IsModeSpecific(string name) => _modeSpecific.Contains(name);

        /// <summary>The modes that take a parameter, in <see cref="SyncMode"/>'s order.</summary>
        public IEnumerable<ModeDefinition> Accepting(string name) => ModeRegistry.All.Where(m => Accepts(m.Mode, name));

        /// <summary>A fresh set of the dynamic parameters for one cmdlet call (they hold that call's values).</summary>
        public RuntimeDefinedParameterDictionary NewRuntimeParameters()
        {
            var dictionary = new RuntimeDefinedParameterDictionary();
            foreach (var info in _dynamic)
            {
                var attributes = new Collection<Attribute>();
                foreach (var attribute in info.Attributes)
                {
                    attributes.Add(attribute);
                }

                dictionary.Add(info.Name, new RuntimeDefinedParameter(info.Name, info.Type, attributes));
            }

            return dictionary;
        }

        /// <summary>
        /// Per-mode parameter lists for the help (one paragraph per mode); read by build/Help.ps1 through reflection.
        /// </summary>
        public string[] HelpSections() => ModeRegistry.All.Select(m =>
            $"-Mode {m.Name}: {m.Summary} Parameters: " +
            string.Join(", ", Parameters(m.Mode).Select(p => "-" + p.Name + Qualifier(p))) + ".")
            .ToArray();

        /// <summary>
        /// The help's "Default value" of a mode-specific parameter: the value when every mode that takes it
        /// agrees, else "Cli: 300; Rest, SecretsManager, ParameterStore: 30"; null when no mode gives one.
        /// </summary>
        public string? HelpDefault(string name)
        {
            var modes = Accepting(name).ToList();
            var groups = modes
                .Where(m => Find(m.Mode, name)!.DefaultText != null)
                .GroupBy(m => Find(m.Mode, name)!.DefaultText!)
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

            return string.Join("; ", groups.Select(g => string.Join(", ", g.Select(m => m.Name)) + ": " + g.Key));
        }

        /// <summary>The "Modes: Rest (default 30), Cli (default 300)." line for one parameter; null for one every call takes.</summary>
        public string? HelpModesLine(string name)
        {
            var modes = Accepting(name).ToList();
            return modes.Count == 0
                ? null
                : "Modes: " + string.Join(", ", modes.Select(m => m.Name + Qualifier(Find(m.Mode, name)!))) + ".";
        }

        private static string Qualifier(ModeParameterInfo p) =>
            p.Required ? " (required)" : p.DefaultText != null ? $" (default {p.DefaultText})" : string.Empty;

        /// <summary>
        /// Two modes that declare a parameter of the same name declare one parameter of the cmdlet: the same type,
        /// and the same validation (the first declaration's attributes are the ones PowerShell sees).
        /// </summary>
        private void AddDynamic(ModeParameterInfo info, ModeDefinition mode)
        {
            var known = _dynamic.FirstOrDefault(d => string.Equals(d.Name, info.Name, StringComparison.OrdinalIgnoreCase));
            if (known == null)
            {
                _dynamic.Add(info);
                return;
            }

            if (known.Type != info.Type || ValidationOf(known) != ValidationOf(info))
            {
                throw new InvalidOperationException(
                    $"-{info.Name} is declared by more than one mode with a different type or validation ({mode.Name}: {info.Type.Name} {ValidationOf(info)}; before: {known.Type.Name} {ValidationOf(known)}).");
            }
        }

        /// <summary>The binding-relevant attributes of a declaration, as text to compare.</summary>
        internal static string ValidationOf(ModeParameterInfo info) => string.Join(";", info.Attributes
            .Where(a => a is ValidateArgumentsAttribute || a is ArgumentTransformationAttribute || a is AliasAttribute)
            .Select(a => a.GetType().Name + Describe(a))
            .OrderBy(s => s, StringComparer.Ordinal));

        private static string Describe(Attribute attribute) => attribute switch
        {
            ValidateRangeAttribute r => $"({r.MinRange}..{r.MaxRange})",
            ValidatePatternAttribute p => $"({p.RegexPattern})",
            AliasAttribute a => "(" + string.Join(",", a.AliasNames) + ")",
            _ => string.Empty,
        };

        /// <summary>A parameter class's [Parameter] properties: its own first, in declaration order, then inherited ones.</summary>
        private static IEnumerable<PropertyInfo> OwnProperties(Type type) => type
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttributes(typeof(ParameterAttribute), inherit: true).Length > 0)
            .OrderBy(p => Depth(type, p.DeclaringType!))
            .ThenBy(p => p.MetadataToken);

        private static int Depth(Type from, Type declaring)
        {
            var depth = 0;
            for (var t = from; t != null && t != declaring; t = t.BaseType)
            {
                depth++;
            }

            return depth;
        }

        /// <summary>The cmdlet's own parameters that belong to some modes only ([SharedModeParameter]), most derived class first.</summary>
        private static IEnumerable<(Type Group, ModeParameterInfo Info)> SharedParameters(Type cmdletType)
        {
            foreach (var property in OwnProperties(cmdletType))
            {
                var marker = property.GetCustomAttribute<SharedModeParameterAttribute>(inherit: true);
                if (marker == null)
                {
                    continue;
                }

                var attributes = property.GetCustomAttributes(inherit: true).Cast<Attribute>().ToList();
                var text = attributes.OfType<DefaultTextAttribute>().FirstOrDefault()?.Text;
                yield return (marker.Group, new ModeParameterInfo(property.Name, property.PropertyType, null, attributes, text));
            }
        }

        private static string? DefaultText(IReadOnlyList<Attribute> attributes, object? value)
        {
            var text = attributes.OfType<DefaultTextAttribute>().FirstOrDefault()?.Text;
            if (text != null)
            {
                return text;
            }

            return value switch
            {
                null => null,
                bool b => b ? "true" : null,
                SwitchParameter s => s.IsPresent ? "present" : null,
                string s => s.Length == 0 ? null : s,
                IEnumerable list => string.Join(",", list.Cast<object>()),
                _ => value.ToString(),
            };
        }
    }
}
