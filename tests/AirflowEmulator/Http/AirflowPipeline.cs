using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AirflowEmulator.Airflow2;
using AirflowEmulator.Auth;
using AirflowEmulator.Control;
using AirflowEmulator.Python;
using Microsoft.AspNetCore.Http;

namespace AirflowEmulator.Http;

/// <summary>
/// Everything outside /_emulator/: read the body, log the request (without secrets), apply an injected
/// fault if one matches, otherwise hand the request to the Airflow API of the configured version.
/// </summary>
internal sealed class AirflowPipeline
{
    public const string ControlPrefix = "/_emulator";
    private const int MaxBody = 16 * 1024 * 1024;

    private readonly EmulatorSettings _settings;
    private readonly IAirflowApi _api;
    private readonly RequestLog _log;
    private readonly FaultInjector _faults;

    public AirflowPipeline(EmulatorSettings settings, IAirflowApi api, RequestLog log, FaultInjector faults)
    {
        _settings = settings;
        _api = api;
        _log = log;
        _faults = faults;
    }

    public async Task Invoke(HttpContext ctx, Func<Task> next)
    {
        string path = ApiRequest.DecodedPath(ctx);
        if (path == ControlPrefix || path.StartsWith(ControlPrefix + "/", StringComparison.Ordinal))
        {
            await next().ConfigureAwait(false);
            return;
        }

        // Behind a path prefix (a reverse proxy at /airflow), only requests under it reach the API; the
        // API itself sees the path without the prefix. Anything else is an unknown route: 404.
        string loggedPath = path;
        string prefix = _settings.PathPrefix;
        if (prefix.Length > 0)
        {
            path = path.StartsWith(prefix + "/", StringComparison.Ordinal) ? path[prefix.Length..] : "/__outside_path_prefix__" + path;
        }

        var watch = Stopwatch.StartNew();
        string rawQuery = ctx.Request.QueryString.HasValue ? ctx.Request.QueryString.Value![1..] : "";
        byte[] body = await ReadBody(ctx).ConfigureAwait(false);
        var entry = new LoggedRequest
        {
            Seq = _log.NextSeq(),
            Time = DateTimeOffset.UtcNow,
            Method = ctx.Request.Method,
            Path = loggedPath,
            Query = rawQuery,
            Auth = BasicCredentials.Scheme(ctx.Request.Headers.Authorization.Count > 0 ? ctx.Request.Headers.Authorization.ToString() : null),
            Expect = ctx.Request.Headers.Expect.Count > 0 ? ctx.Request.Headers.Expect.ToString() : null,
        };
        DescribeWrite(entry, ctx.Request.Method, path, body);
        var request = new ApiRequest
        {
            Http = ctx,
            Method = ctx.Request.Method,
            Path = path,
            RawQuery = rawQuery,
            Query = ApiRequest.ParseQuery(rawQuery),
            Body = body,
            Log = entry,
        };
        try
        {
            FaultRule? fault = _faults.Take(request.Method, path);
            if (fault is not null && await ApplyFault(request, fault).ConfigureAwait(false)) return;
            await _api.Handle(request).ConfigureAwait(false);
            entry.Status = ctx.Response.StatusCode;
        }
        catch (Exception) when (ctx.RequestAborted.IsCancellationRequested)
        {
            entry.Status = 0;
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            // A bug in the emulator: answer as the real server answers an unhandled exception, and say why on stderr.
            await Console.Error.WriteLineAsync($"AirflowEmulator: unhandled error for {request.Method} {path}: {e}").ConfigureAwait(false);
            ctx.Response.Clear();
            if (_settings.AirflowVersion == 2)
            {
                await Problem.Write(ctx, 500, "The server encountered an internal error and was unable to complete your request. " +
                    "Either the server is overloaded or there is an error in the application.", type: "about:blank").ConfigureAwait(false);
            }
            else
            {
                await Responses.Text(ctx, 500, "Internal Server Error", "text/plain; charset=utf-8").ConfigureAwait(false);
            }
            entry.Status = 500;
        }
        finally
        {
            entry.DurationMs = watch.Elapsed.TotalMilliseconds;
            _log.Add(entry);
        }
    }

    private static async Task<byte[]> ReadBody(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody) throw new InvalidOperationException("Request body too large for the emulator.");
        }
        return buffer.ToArray();
    }

    /// <returns>true when the fault answered (or dropped) the request; false to handle it normally.</returns>
    private async Task<bool> ApplyFault(ApiRequest r, FaultRule fault)
    {
        HttpContext ctx = r.Http;
        if (fault.DelayMs > 0)
        {
            r.Log.Fault = "delay";
            await Task.Delay(fault.DelayMs, ctx.RequestAborted).ConfigureAwait(false);
        }
        if (fault.Drop)
        {
            r.Log.Fault = "drop";
            r.Log.Status = 0;
            ctx.Abort();
            return true;
        }
        if (fault.Status is not int status) return false;
        r.Log.Fault = "status";
        r.Log.Status = status;
        if (fault.RetryAfter is int retry) ctx.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (fault.BodyText is not null)
        {
            await Responses.Text(ctx, status, fault.BodyText, fault.ContentType ?? "text/html; charset=utf-8").ConfigureAwait(false);
        }
        else if (fault.Body is not null)
        {
            await Responses.Text(ctx, status, fault.Body.ToJsonString(Responses.Compact), "application/json").ConfigureAwait(false);
        }
        else if (_settings.AirflowVersion == 2)
        {
            await Problem.Write(ctx, status, null, type: Problem.TypeFor(status)).ConfigureAwait(false);
        }
        else
        {
            await Responses.FastApiJson(ctx, status, new JsonObject { ["detail"] = Problem.Title(status) }).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>
    /// What a connection write names, for the log: top-level connection_id, bulk entity ids, or a DELETE's path
    /// id; the member names of a one-connection body; each bulk action's kind, options and ids. Never a value.
    /// </summary>
    private static void DescribeWrite(LoggedRequest entry, string method, string path, byte[] body)
    {
        bool isConnections = path.Contains("/connections", StringComparison.Ordinal);
        if (!isConnections) return;
        if (method == "DELETE")
        {
            int slash = path.LastIndexOf('/');
            if (slash >= 0 && path[..slash].EndsWith("/connections", StringComparison.Ordinal)) entry.ConnectionIds.Add(path[(slash + 1)..]);
            return;
        }
        if (method is not ("POST" or "PATCH" or "PUT") || body.Length == 0) return;
        if (!PyValue.TryLoads(body, out object? value, out _) || value is not PyDict d) return;
        if (d.TryGet("connection_id", out object? id) && id is string s) entry.ConnectionIds.Add(s);
        if (!d.TryGet("actions", out object? actions) || actions is not List<object?> list)
        {
            entry.BodyFields.AddRange(d.Keys);
            return;
        }
        foreach (object? action in list)
        {
            if (action is not PyDict a) continue;
            var logged = new LoggedBulkAction
            {
                Action = a.TryGet("action", out object? kind) ? kind as string : null,
                ActionOnExistence = a.TryGet("action_on_existence", out object? onExistence) ? onExistence as string : null,
                ActionOnNonExistence = a.TryGet("action_on_non_existence", out object? onMissing) ? onMissing as string : null,
                UpdateMask = a.TryGet("update_mask", out object? mask) && mask is List<object?> m ? m.OfType<string>().ToList() : null,
            };
            if (a.TryGet("entities", out object? entities) && entities is List<object?> el)
            {
                foreach (object? e in el)
                {
                    string? eid = e as string ?? (e is PyDict ed && ed.TryGet("connection_id", out object? x) ? x as string : null);
                    if (eid is null) continue;
                    entry.ConnectionIds.Add(eid);
                    logged.Ids.Add(eid);
                    if (e is PyDict fields)
                    {
                        foreach (string key in fields.Keys.Where(k => !logged.EntityFields.Contains(k, StringComparer.Ordinal))) logged.EntityFields.Add(key);
                    }
                }
            }
            entry.BulkActions.Add(logged);
        }
    }
}
