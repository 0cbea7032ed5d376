using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AirflowEmulator.Auth;
using AirflowEmulator.Http;
using AirflowEmulator.Python;
using AirflowEmulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AirflowEmulator.Control;

/// <summary>
/// The test-only control API under /_emulator/ (no authentication, never logged). See README.md.
/// </summary>
internal static class ControlApi
{
    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };

    public static void Map(IEndpointRouteBuilder app, EmulatorSettings settings, ConnectionStore store, RequestLog log,
        FaultInjector faults, JwtTokens tokens)
    {
        RouteGroupBuilder g = app.MapGroup(AirflowPipeline.ControlPrefix);

        g.MapGet("/health", () => Json(new JsonObject
        {
            ["status"] = "ok",
            ["airflowVersion"] = settings.AirflowVersion,
            ["airflowRelease"] = settings.AirflowRelease,
            ["bulkUpdateIgnoresMask"] = settings.BulkUpdateIgnoresMask,
        }));

        g.MapGet("/requests", () => Json(JsonSerializer.SerializeToNode(log.Snapshot(), Responses.Compact)));
        g.MapDelete("/requests", () => { log.Clear(); return Results.NoContent(); });

        g.MapGet("/connections", () => Json(new JsonArray(store.All().Select(c => (JsonNode?)Stored(c)).ToArray())));
        g.MapGet("/connections/{id}", (HttpContext ctx) =>
        {
            string id = PathId(ctx);
            return store.Get(id) is StoredConnection c ? Json(Stored(c)) : Json(new JsonObject { ["error"] = $"no connection {id}" }, 404);
        });
        g.MapPut("/connections/{id}", async (HttpContext ctx, HttpRequest request) =>
        {
            string id = PathId(ctx);
            byte[] body = await ReadAll(request).ConfigureAwait(false);
            if (!PyValue.TryLoads(body, out object? value, out _) || value is not PyDict d)
            {
                return Json(new JsonObject { ["error"] = "body must be a JSON object (ConnectionBody shape)" }, 400);
            }
            if (Seed(id, d, out string? error) is not StoredConnection row) return Json(new JsonObject { ["error"] = error }, 400);
            store.Put(row);
            return Json(Stored(store.Get(id)!));
        });
        g.MapDelete("/connections", () => { store.Clear(); return Results.NoContent(); });

        g.MapGet("/faults", () => Json(faults.Describe()));
        g.MapPost("/faults", async (HttpRequest request) =>
        {
            FaultRule? rule;
            try { rule = await JsonSerializer.DeserializeAsync<FaultRule>(request.Body, ReadOptions).ConfigureAwait(false); }
            catch (JsonException e) { return Json(new JsonObject { ["error"] = e.Message }, 400); }
            if (rule is null) return Json(new JsonObject { ["error"] = "body must be a fault object" }, 400);
            if (rule.Times < 1) return Json(new JsonObject { ["error"] = "times must be at least 1" }, 400);
            if (rule.Status is int s && (s < 100 || s > 599)) return Json(new JsonObject { ["error"] = "status must be 100-599" }, 400);
            if (rule.Status is null && !rule.Drop && rule.DelayMs <= 0)
            {
                return Json(new JsonObject { ["error"] = "a fault needs status, drop or delayMs" }, 400);
            }
            faults.Add(rule);
            return Json(faults.Describe(), 201);
        });
        g.MapDelete("/faults", () => { faults.Clear(); return Results.NoContent(); });

        g.MapPost("/tokens/revoke", () => { tokens.RevokeAll(); return Results.NoContent(); });

        // Everything at once: connections, request log, faults (tokens stay valid).
        g.MapPost("/reset", () =>
        {
            store.Clear();
            log.Clear();
            faults.Clear();
            return Results.NoContent();
        });
    }

    /// <summary>The connection id from the raw path, fully decoded (routing leaves %2F encoded).</summary>
    private static string PathId(HttpContext ctx)
    {
        string path = ApiRequest.DecodedPath(ctx);
        const string prefix = AirflowPipeline.ControlPrefix + "/connections/";
        return path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : "";
    }

    private static IResult Json(JsonNode? node, int status = 200) =>
        Results.Text(node?.ToJsonString(Responses.Compact) ?? "null", "application/json", null, status);

    private static async Task<byte[]> ReadAll(HttpRequest request)
    {
        using var ms = new System.IO.MemoryStream();
        await request.Body.CopyToAsync(ms).ConfigureAwait(false);
        return ms.ToArray();
    }

    /// <summary>A stored row in full: the password and extra exactly as Airflow stored them.</summary>
    private static JsonObject Stored(StoredConnection c) => new()
    {
        ["connection_id"] = c.ConnId,
        ["conn_type"] = c.ConnType,
        ["description"] = c.Description,
        ["host"] = c.Host,
        ["login"] = c.Login,
        ["schema"] = c.Schema,
        ["port"] = c.Port,
        ["password"] = c.Password,
        ["extra"] = c.Extra,
    };

    private static StoredConnection? Seed(string id, PyDict d, out string? error)
    {
        error = null;
        if (d.TryGet("connection_id", out object? bodyId) && bodyId is not null && !Equals(bodyId, id))
        {
            error = "connection_id in the body differs from the path";
            return null;
        }
        if (!d.TryGet("conn_type", out object? connType) || connType is not string type)
        {
            error = "conn_type (string) is required";
            return null;
        }
        var row = new StoredConnection { ConnId = id, ConnType = type };
        foreach (string key in d.Keys)
        {
            d.TryGet(key, out object? v);
            switch (key)
            {
                case "connection_id" or "conn_type": break;
                case "port":
                    if (v is null) { row.Port = null; break; }
                    if (v is PyNumber { IsInteger: true } n && long.TryParse(n.Raw, out long port)) { row.Port = port; break; }
                    error = "port must be an integer or null";
                    return null;
                case "description" or "host" or "login" or "schema" or "password" or "extra":
                    if (v is not null && v is not string) { error = $"{key} must be a string or null"; return null; }
                    string? s = (string?)v;
                    switch (key)
                    {
                        case "description": row.Description = s; break;
                        case "host": row.Host = s; break;
                        case "login": row.Login = s; break;
                        case "schema": row.Schema = s; break;
                        case "password": row.Password = s; break;
                        default: row.Extra = s; break;
                    }
                    break;
                default:
                    error = $"unknown field {key}";
                    return null;
            }
        }
        return row;
    }
}
