using System.Text;

namespace EcrAirflow.Internal
{
    /// <summary>
    /// Quoting what a user typed in a message (here, because -SkipIfValidFor's transformation quotes it at binding,
    /// before EcrAirflow.Core is loaded; ConnectionInput.Printable is the same rule).
    /// </summary>
    internal static class PrintableText
    {
        /// <summary>A value as it is safe to quote in a message: control characters shown as \uXXXX, and shortened.</summary>
        public static string Of(string value, int max = 120)
        {
            var sb = new StringBuilder();
            foreach (var c in value)
            {
                if (sb.Length >= max)
                {
                    sb.Append('…');
                    break;
                }

                if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
                {
                    sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }
    }
}
