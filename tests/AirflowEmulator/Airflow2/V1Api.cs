using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AirflowEmulator.Auth;
using AirflowEmulator.Http;
using AirflowEmulator.Python;
using AirflowEmulator.Store;
using Microsoft.AspNetCore.Http;

namespace AirflowEmulator.Airflow2;

/// <summary>
/// Airflow 2.10's stable REST API (v1) connection endpoints behind the basic_auth backend. Order of checks
/// as in Airflow: routing (werkzeug 404/405), connexion's query and body validation, then authentication
/// (Airflow's requires_access decorator wraps the endpoint function), then the endpoint's own checks.
/// </summary>
internal sealed class V1Api : IAirflowApi
{
    private const string Prefix = "/api/v1";
    private const string ConnectionsPath = Prefix + "/connections";
    private const string NotFoundText =
        "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.";
    private const string MethodNotAllowedText = "The method is not allowed for the requested URL.";

    private readonly EmulatorSettings _settings;
    private readonly ConnectionStore _store;

    public V1Api(EmulatorSettings settings, ConnectionStore store)
    {
        _settings = settings;
        _store = store;
    }

    public Task Handle(ApiRequest request)
    {
        // Flask answers HEAD on every GET route (Kestrel sends no body for HEAD).
        ApiRequest r = request.Method == "HEAD" ? request.WithMethod("GET") : request;
        string p = r.Path;
        if (p == Prefix + "/version")
        {
            return r.Method == "GET" ? Version(r) : MethodNotAllowed(r, "GET");
        }
        if (p == ConnectionsPath)
        {
            return r.Method switch
            {
                "GET" => List(r),
                "POST" => Create(r),
                _ => MethodNotAllowed(r, "GET, POST"),
            };
        }
        if (p == ConnectionsPath + "/test" && r.Method == "POST") return TestConnection(r);
        if (p.StartsWith(ConnectionsPath + "/", StringComparison.Ordinal))
        {
            string id = p[(ConnectionsPath.Length + 1)..];
            if (id.Length > 0 && !id.Contains('/', StringComparison.Ordinal))
            {
                return r.Method switch
                {
                    "GET" => GetOne(r, id),
                    "PATCH" => Patch(r, id),
                    "DELETE" => Delete(r, id),
                    _ => MethodNotAllowed(r, id == "test" ? "DELETE, GET, PATCH, POST" : "DELETE, GET, PATCH"),
                };
            }
        }
        if (p == Prefix || p.StartsWith(Prefix + "/", StringComparison.Ordinal))
        {
            return Problem.Werkzeug(r.Http, 404, NotFoundText);
        }
        // Outside the API the Flask webserver answers with its HTML 404 page.
        return Responses.Text(r.Http, 404,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Airflow 404</title></head><body><h1>Airflow 404 = lots of circles</h1></body></html>\n",
            "text/html; charset=utf-8");
    }

    private static Task MethodNotAllowed(ApiRequest r, string allow)
    {
        r.Http.Response.Headers.Allow = allow;
        return Problem.Werkzeug(r.Http, 405, MethodNotAllowedText);
    }

    // GET /version has no requires_access decorator in Airflow 2: it answers without credentials.
    private static Task Version(ApiRequest r)
    {
        var body = new PyDict();
        body.Set("git_version", null);
        body.Set("version", "2.10.5");
        return Responses.Text(r.Http, 200, Problem.FlaskJson(body), "application/json");
    }

    /// <summary>connexion strict_validation: query parameters not in the operation's spec are a 400.</summary>
    private static string? ExtraQueryParameters(ApiRequest r, params string[] allowed)
    {
        List<string> extra = r.Query.Keys.Where(k => !allowed.Contains(k, StringComparer.Ordinal)).ToList();
        return extra.Count == 0 ? null : $"Extra query parameter(s) {string.Join(", ", extra)} not in spec";
    }

    /// <summary>The basic_auth backend: 401 with WWW-Authenticate: Basic unless user and password match.</summary>
    private bool Authenticated(ApiRequest r)
    {
        return BasicCredentials.TryParse(r.Authorization, out string user, out string password)
            && user.Length > 0 && password.Length > 0
            && BasicCredentials.Matches(user, password, _settings.UserName, _settings.Password);
    }

    private static Task Unauthenticated(ApiRequest r) =>
        Problem.Write(r.Http, 401, null, headers: new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic" });

    /// <summary>connexion's request body handling for a required application/json body.</summary>
    private static async Task<(bool Ok, object? Body)> ReadBody(ApiRequest r)
    {
        if (r.Body.Length == 0)
        {
            await Problem.Raise(r.Http, 400, "Request body must not be empty").ConfigureAwait(false);
            return (false, null);
        }
        if (!r.HasJsonContentType())
        {
            await Problem.Write(r.Http, 415, $"Invalid Content-type ({r.ContentType ?? ""}), expected JSON data", type: "about:blank").ConfigureAwait(false);
            return (false, null);
        }
        string text;
        try { text = new UTF8Encoding(false, true).GetString(r.Body); }
        catch (DecoderFallbackException) { text = ""; }
        if (!PyValue.TryLoads(text, out object? body) || body is null)
        {
            await Problem.Raise(r.Http, 400, "Request body is not valid JSON").ConfigureAwait(false);
            return (false, null);
        }
        string? schemaError = V1Schema.SchemaError(body);
        if (schemaError is not null)
        {
            await Problem.Raise(r.Http, 400, schemaError).ConfigureAwait(false);
            return (false, null);
        }
        return (true, body);
    }

    private static PyDict Dump(StoredConnection c)
    {
        var d = new PyDict();
        d.Set("connection_id", c.ConnId);
        d.Set("conn_type", c.ConnType);
        d.Set("description", c.Description);
        d.Set("host", c.Host);
        d.Set("login", c.Login);
        d.Set("schema", c.Schema);
        d.Set("port", c.Port);
        d.Set("extra", SecretsMasker.RedactExtra(c.Extra)); // password is load_only: never dumped
        return d;
    }

    private static PyDict DumpItem(StoredConnection c)
    {
        var d = new PyDict();
        d.Set("connection_id", c.ConnId);
        d.Set("conn_type", c.ConnType);
        d.Set("description", c.Description);
        d.Set("host", c.Host);
        d.Set("login", c.Login);
        d.Set("schema", c.Schema);
        d.Set("port", c.Port);
        return d;
    }

    private static Task Ok(ApiRequest r, object body) => Responses.Text(r.Http, 200, Problem.FlaskJson(body), "application/json");

    private static string NotFoundDetail(string id) => $"The Connection with connection_id: `{id}` was not found";

    private async Task GetOne(ApiRequest r, string id)
    {
        if (ExtraQueryParameters(r) is string extra) { await Problem.Raise(r.Http, 400, extra).ConfigureAwait(false); return; }
        if (!Authenticated(r)) { await Unauthenticated(r).ConfigureAwait(false); return; }
        StoredConnection? c = _store.Get(id);
        if (c is null) { await Problem.Raise(r.Http, 404, NotFoundDetail(id), "Connection not found").ConfigureAwait(false); return; }
        await Ok(r, Dump(c)).ConfigureAwait(false);
    }

    private async Task List(ApiRequest r)
    {
        if (ExtraQueryParameters(r, "limit", "offset", "order_by") is string extra) { await Problem.Raise(r.Http, 400, extra).ConfigureAwait(false); return; }
        long limit = 100, offset = 0;
        foreach ((string name, bool isLimit) in new[] { ("limit", true), ("offset", false) })
        {
            IReadOnlyList<string> values = r.QueryValues(name);
            if (values.Count == 0) continue;
            if (!long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
            {
                await Problem.Raise(r.Http, 400, $"Wrong type, expected 'integer' for query parameter '{name}'").ConfigureAwait(false);
                return;
            }
            if (!isLimit && v < 0)
            {
                await Problem.Raise(r.Http, 400, $"{v} is less than the minimum of 0").ConfigureAwait(false);
                return;
            }
            if (isLimit) limit = v; else offset = v;
        }
        string orderBy = r.QueryValues("order_by").FirstOrDefault() ?? "id";
        if (!Authenticated(r)) { await Unauthenticated(r).ConfigureAwait(false); return; }

        // check_limit: [api] maximum_page_limit = 100, fallback_page_limit = 100.
        if (limit < 0) { await Problem.Raise(r.Http, 400, "Page limit must be a positive integer").ConfigureAwait(false); return; }
        if (limit == 0 || limit > 100) limit = 100;
        string field = orderBy.TrimStart('-');
        string[] allowed = ["connection_id", "conn_type", "description", "host", "port", "id"];
        if (!allowed.Contains(field, StringComparer.Ordinal))
        {
            await Problem.Raise(r.Http, 400, $"Ordering with '{field}' is disallowed or the attribute does not exist on the model").ConfigureAwait(false);
            return;
        }
        List<StoredConnection> all = _store.All();
        List<StoredConnection> sorted = ConnectionOrdering.Sort(all, field, orderBy.StartsWith('-'));
        var items = sorted.Skip((int)Math.Min(offset, int.MaxValue)).Take((int)limit).Select(c => (object?)DumpItem(c)).ToList();
        var body = new PyDict();
        body.Set("connections", items);
        body.Set("total_entries", (long)all.Count);
        await Ok(r, body).ConfigureAwait(false);
    }

    private async Task Create(ApiRequest r)
    {
        if (ExtraQueryParameters(r) is string extra) { await Problem.Raise(r.Http, 400, extra).ConfigureAwait(false); return; }
        (bool ok, object? body) = await ReadBody(r).ConfigureAwait(false);
        if (!ok) return;
        if (!Authenticated(r)) { await Unauthenticated(r).ConfigureAwait(false); return; }
        Dictionary<string, object?> data = V1Schema.Load((PyDict)body!, partial: false, out string? error);
        if (error is not null) { await Problem.Raise(r.Http, 400, error).ConfigureAwait(false); return; }
        string connId = (string)data["conn_id"]!;
        if (V1Schema.ValidateKey(connId, 200) is string keyError) { await Problem.Raise(r.Http, 400, keyError).ConfigureAwait(false); return; }
        var row = new StoredConnection { ConnId = connId };
        Apply(row, data);
        if (!_store.TryAdd(row))
        {
            await Problem.Raise(r.Http, 409, $"Connection already exist. ID: {connId}").ConfigureAwait(false);
            return;
        }
        await Ok(r, Dump(_store.Get(connId) ?? row)).ConfigureAwait(false);
    }

    private async Task Patch(ApiRequest r, string id)
    {
        if (ExtraQueryParameters(r, "update_mask") is string extra) { await Problem.Raise(r.Http, 400, extra).ConfigureAwait(false); return; }
        (bool ok, object? body) = await ReadBody(r).ConfigureAwait(false);
        if (!ok) return;
        if (!Authenticated(r)) { await Unauthenticated(r).ConfigureAwait(false); return; }
        Dictionary<string, object?> data = V1Schema.Load((PyDict)body!, partial: true, out string? error);
        if (error is not null) { await Problem.Raise(r.Http, 400, error).ConfigureAwait(false); return; }

        // update_mask is style=form, explode=false: one comma-separated value.
        List<string> mask = r.QueryValues("update_mask").SelectMany(v => v.Split(',')).Where(v => v.Length > 0).ToList();
        string? failure = null;
        int failureStatus = 0;
        StoredConnection? updated = _store.Update(id, row =>
        {
            if (data.TryGetValue("conn_id", out object? bodyId) && bodyId is string s && s.Length > 0 && s != row.ConnId)
            {
                failureStatus = 400;
                failure = "The connection_id cannot be updated.";
                return false;
            }
            Dictionary<string, object?> toApply = data;
            if (mask.Count > 0)
            {
                toApply = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (string raw in mask)
                {
                    string field = raw.Trim();
                    if (!data.ContainsKey(field) || field is "connection_id" or "conn_id")
                    {
                        failureStatus = 400;
                        failure = $"'{field}' is unknown or cannot be updated.";
                        return false;
                    }
                    toApply[field] = data[field];
                }
            }
            Apply(row, toApply);
            return true;
        });
        if (failure is not null) { await Problem.Raise(r.Http, failureStatus, failure).ConfigureAwait(false); return; }
        if (updated is null) { await Problem.Raise(r.Http, 404, NotFoundDetail(id), "Connection not found").ConfigureAwait(false); return; }
        await Ok(r, Dump(updated)).ConfigureAwait(false);
    }

    private async Task Delete(ApiRequest r, string id)
    {
        if (ExtraQueryParameters(r) is string extra) { await Problem.Raise(r.Http, 400, extra).ConfigureAwait(false); return; }
        if (!Authenticated(r)) { await Unauthenticated(r).ConfigureAwait(false); return; }
        if (!_store.Remove(id)) { await Problem.Raise(r.Http, 404, NotFoundDetail(id), "Connection not found").ConfigureAwait(false); return; }
        await Responses.Empty(r.Http, 204).ConfigureAwait(false);
    }

    // [core] test_connection defaults to Disabled; the endpoint answers with a plain-text 403.
    private async Task TestConnection(ApiRequest r)
    {
        if (ExtraQueryParameters(r) is string extra) { await Problem.Raise(r.Http, 400, extra).ConfigureAwait(false); return; }
        (bool ok, _) = await ReadBody(r).ConfigureAwait(false);
        if (!ok) return;
        if (!Authenticated(r)) { await Unauthenticated(r).ConfigureAwait(false); return; }
        await Responses.Text(r.Http, 403,
            "Testing connections is disabled in Airflow configuration. Contact your deployment admin to enable it.",
            "text/html; charset=utf-8").ConfigureAwait(false);
    }

    private static void Apply(StoredConnection row, Dictionary<string, object?> data)
    {
        foreach ((string key, object? value) in data)
        {
            switch (key)
            {
                case "conn_type": row.ConnType = (string?)value; break;
                case "description": row.Description = (string?)value; break;
                case "host": row.Host = (string?)value; break;
                case "login": row.Login = (string?)value; break;
                case "schema": row.Schema = (string?)value; break;
                case "port": row.Port = (long?)value; break;
                case "password": row.Password = (string?)value; break;
                case "extra": row.Extra = (string?)value; break;
            }
        }
    }
}
