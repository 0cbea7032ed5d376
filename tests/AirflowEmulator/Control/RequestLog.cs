using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace AirflowEmulator.Control;

/// <summary>One Airflow API request as the control API reports it. Never holds credentials or secrets.</summary>
internal sealed class LoggedRequest
{
    [JsonPropertyName("seq")] public long Seq { get; init; }
    [JsonPropertyName("time")] public DateTimeOffset Time { get; init; }
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("query")] public required string Query { get; init; }
    /// <summary>The response status; 0 when the emulator dropped the connection without answering.</summary>
    [JsonPropertyName("status")] public int Status { get; set; }
    /// <summary>"Basic", "Bearer", another scheme name as sent, or null when no Authorization header came.</summary>
    [JsonPropertyName("auth")] public string? Auth { get; init; }
    /// <summary>The Expect header as sent (e.g. "100-continue"), or null when the client sent none.</summary>
    [JsonPropertyName("expect")] public string? Expect { get; init; }
    /// <summary>Connection ids a write named: body connection_id(s), bulk entity ids, or the path id of a DELETE.</summary>
    [JsonPropertyName("connectionIds")] public List<string> ConnectionIds { get; } = [];
    /// <summary>The member names of a one-connection body (POST, PATCH), in the order sent; never their values.</summary>
    [JsonPropertyName("bodyFields")] public List<string> BodyFields { get; } = [];
    /// <summary>A bulk body's actions: what each asked for and which ids, never the entities' values.</summary>
    [JsonPropertyName("bulkActions")] public List<LoggedBulkAction> BulkActions { get; } = [];
    /// <summary>"status", "delay" or "drop" when an injected fault touched this request.</summary>
    [JsonPropertyName("fault")] public string? Fault { get; set; }
    [JsonPropertyName("durationMs")] public double DurationMs { get; set; }
}

/// <summary>One action of a bulk body as logged: its kind, its options, its ids and the member names of its first entity.</summary>
internal sealed class LoggedBulkAction
{
    [JsonPropertyName("action")] public string? Action { get; init; }
    [JsonPropertyName("actionOnExistence")] public string? ActionOnExistence { get; init; }
    [JsonPropertyName("actionOnNonExistence")] public string? ActionOnNonExistence { get; init; }
    [JsonPropertyName("updateMask")] public List<string>? UpdateMask { get; init; }
    [JsonPropertyName("ids")] public List<string> Ids { get; } = [];
    /// <summary>The member names each entity sent (the union, in first-seen order).</summary>
    [JsonPropertyName("entityFields")] public List<string> EntityFields { get; } = [];
}

/// <summary>Thread-safe, append-only (until cleared) list of the Airflow API requests received.</summary>
internal sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly List<LoggedRequest> _entries = [];
    private long _seq;

    public long NextSeq() { lock (_gate) return ++_seq; }

    public void Add(LoggedRequest entry)
    {
        lock (_gate) _entries.Add(entry);
    }

    public List<LoggedRequest> Snapshot()
    {
        lock (_gate) return [.. _entries];
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }
}
