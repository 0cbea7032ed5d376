using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AirflowEmulator.Control;

/// <summary>A fault rule posted to /_emulator/faults.</summary>
internal sealed class FaultRule
{
    /// <summary>HTTP method to match (case-insensitive); null matches any.</summary>
    [JsonPropertyName("method")] public string? Method { get; set; }
    /// <summary>Exact request path to match; null matches any Airflow API path.</summary>
    [JsonPropertyName("path")] public string? Path { get; set; }
    /// <summary>Status to answer with instead of handling the request; null to handle it (after delayMs).</summary>
    [JsonPropertyName("status")] public int? Status { get; set; }
    /// <summary>Retry-After header value in seconds, sent with the injected status.</summary>
    [JsonPropertyName("retryAfter")] public int? RetryAfter { get; set; }
    /// <summary>How many matching requests the rule affects; it is removed after that.</summary>
    [JsonPropertyName("times")] public int Times { get; set; } = 1;
    /// <summary>Delay before the request is answered (injected status) or handled (no status).</summary>
    [JsonPropertyName("delayMs")] public int DelayMs { get; set; }
    /// <summary>Abort the connection without any response.</summary>
    [JsonPropertyName("drop")] public bool Drop { get; set; }
    /// <summary>Exact JSON body to send with the injected status instead of the Airflow-like default.</summary>
    [JsonPropertyName("body")] public JsonNode? Body { get; set; }
    /// <summary>Exact text to send instead (a proxy's HTML page), with <see cref="ContentType"/> (default text/html).</summary>
    [JsonPropertyName("bodyText")] public string? BodyText { get; set; }
    [JsonPropertyName("contentType")] public string? ContentType { get; set; }

    public bool Matches(string method, string path) =>
        (string.IsNullOrEmpty(Method) || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) &&
        (string.IsNullOrEmpty(Path) || string.Equals(Path, path, StringComparison.Ordinal));
}

/// <summary>Holds fault rules; each matching request consumes one use of the first rule that matches.</summary>
internal sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<(FaultRule Rule, int Left)> _rules = [];

    public void Add(FaultRule rule)
    {
        lock (_gate) _rules.Add((rule, rule.Times));
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    public JsonArray Describe()
    {
        lock (_gate)
        {
            var arr = new JsonArray();
            foreach ((FaultRule rule, int left) in _rules)
            {
                JsonNode node = JsonSerializer.SerializeToNode(rule)!;
                node["remaining"] = left;
                arr.Add(node);
            }
            return arr;
        }
    }

    /// <summary>The rule that applies to this request (one use consumed), or null.</summary>
    public FaultRule? Take(string method, string path)
    {
        lock (_gate)
        {
            for (int i = 0; i < _rules.Count; i++)
            {
                (FaultRule rule, int left) = _rules[i];
                if (!rule.Matches(method, path)) continue;
                if (left <= 1) _rules.RemoveAt(i);
                else _rules[i] = (rule, left - 1);
                return rule;
            }
            return null;
        }
    }
}
