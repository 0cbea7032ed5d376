using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AirflowEmulator.Control;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace AirflowEmulator.Http;

/// <summary>An Airflow API request with its body already read, its path decoded as Starlette/werkzeug do.</summary>
internal sealed class ApiRequest
{
    public required HttpContext Http { get; init; }
    public required string Method { get; init; }
    /// <summary>The fully percent-decoded path (%2F becomes '/', as the Python servers decode it).</summary>
    public required string Path { get; init; }
    public required string RawQuery { get; init; }
    public required Dictionary<string, StringValues> Query { get; init; }
    public required byte[] Body { get; init; }
    public required LoggedRequest Log { get; init; }

    public ApiRequest WithMethod(string method) => new()
    {
        Http = Http, Method = method, Path = Path, RawQuery = RawQuery, Query = Query, Body = Body, Log = Log,
    };

    public string? ContentType => Http.Request.ContentType;
    public string? Authorization => Http.Request.Headers.Authorization.Count > 0 ? Http.Request.Headers.Authorization.ToString() : null;

    public static string DecodedPath(HttpContext ctx)
    {
        string raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.Value ?? "/";
        int q = raw.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0) raw = raw[..q];
        if (raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            raw = ctx.Request.Path.Value ?? "/"; // absolute-form target: fall back to Kestrel's path
        }
        return PercentDecode(raw);
    }

    /// <summary>urllib.parse.unquote: %XX sequences as UTF-8, invalid ones left alone, '+' kept.</summary>
    public static string PercentDecode(string s)
    {
        if (!s.Contains('%', StringComparison.Ordinal)) return s;
        var bytes = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
            {
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public static Dictionary<string, StringValues> ParseQuery(string rawQuery) =>
        QueryHelpers.ParseQuery(rawQuery).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>All values given for a query parameter, in order.</summary>
    public IReadOnlyList<string> QueryValues(string name) =>
        Query.TryGetValue(name, out StringValues v) ? v.Select(x => x ?? "").ToList() : [];

    public bool HasJsonContentType()
    {
        string? ct = ContentType;
        if (string.IsNullOrWhiteSpace(ct)) return false;
        string media = ct.Split(';')[0].Trim().ToLowerInvariant();
        return media == "application/json" || (media.StartsWith("application/", StringComparison.Ordinal) && media.EndsWith("+json", StringComparison.Ordinal));
    }
}
