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
    /// <summary>"status", "delay" or "drop" when an injected fault touched this request.</summary>
    [JsonPropertyName("fault")] public string? Fault { get; set; }
    [JsonPropertyName("durationMs")] public double DurationMs { get; set; }
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
