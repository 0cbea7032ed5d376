using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AirflowEmulator.Auth;
using AirflowEmulator.Http;
using AirflowEmulator.Python;
using AirflowEmulator.Store;

namespace AirflowEmulator.Airflow3;

/// <summary>
/// Airflow 3.1's public API v2 connection endpoints and the auth manager's POST /auth/token. Order of
/// checks as FastAPI runs them: routing (404/405), the auth dependency (401), query and body validation
/// (422), then the endpoint.
/// </summary>
internal sealed class V2Api : IAirflowApi
{
    private const string ConnectionsPath = "/api/v2/connections";

    private readonly EmulatorSettings _settings;
    private readonly ConnectionStore _store;
    private readonly JwtTokens _tokens;

    public V2Api(EmulatorSettings settings, ConnectionStore store, JwtTokens tokens)
    {
        _settings = settings;
        _store = store;
        _tokens = tokens;
    }

    private static JsonObject Detail(string detail) => new() { ["detail"] = detail };

    private static Task Error(ApiRequest r, int status, string detail) => Responses.FastApiJson(r.Http, status, Detail(detail));

    public Task Handle(ApiRequest r)
    {
        string p = r.Path;
        switch (p)
        {
            case "/api/v2/version":
                return r.Method == "GET" ? Version(r) : MethodNotAllowed(r, "GET");
            case "/auth/token":
                return r.Method == "POST" ? Token(r) : MethodNotAllowed(r, "POST");
            case ConnectionsPath:
                return r.Method switch
                {
                    "GET" => List(r),
                    "POST" => Create(r),
                    "PATCH" => Bulk(r),
                    _ => MethodNotAllowed(r, "GET, POST, PATCH"),
                };
        }
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
                    _ => MethodNotAllowed(r, "DELETE, GET, PATCH"),
                };
            }
        }
        // Starlette's redirect_slashes: a path that only misses because of a trailing slash is redirected.
        if (p.Length > 1 && p.EndsWith('/') && IsRoute(p.TrimEnd('/')))
        {
            string target = p.TrimEnd('/') + (r.RawQuery.Length > 0 ? "?" + r.RawQuery : "");
            r.Http.Response.Headers.Location = $"{r.Http.Request.Scheme}://{r.Http.Request.Host}{target}";
            return Responses.Empty(r.Http, 307);
        }
        return Error(r, 404, "Not Found");
    }

    private static bool IsRoute(string p) =>
        p is "/api/v2/version" or "/auth/token" or ConnectionsPath ||
        (p.StartsWith(ConnectionsPath + "/", StringComparison.Ordinal) && !p[(ConnectionsPath.Length + 1)..].Contains('/', StringComparison.Ordinal));

    private static Task MethodNotAllowed(ApiRequest r, string allow)
    {
        r.Http.Response.Headers.Allow = allow;
        return Error(r, 405, "Method Not Allowed");
    }

    // No security on get_version in the v2 spec: public.
    private static Task Version(ApiRequest r) =>
        Responses.FastApiJson(r.Http, 200, new JsonObject { ["version"] = "3.1.0", ["git_version"] = null });

    /// <summary>
    /// The auth dependency: bearer token from the Authorization header (or the UI's _token cookie).
    /// None: 401 "Not authenticated"; expired: 401 "Token Expired"; bad or revoked: 401 "Invalid JWT token".
    /// </summary>
    private async Task<bool> Authenticate(ApiRequest r)
    {
        string? token = BasicCredentials.BearerToken(r.Authorization);
        if (string.IsNullOrEmpty(token)) token = r.Http.Request.Cookies["_token"];
        if (string.IsNullOrEmpty(token))
        {
            await Error(r, 401, "Not authenticated").ConfigureAwait(false);
            return false;
        }
        switch (_tokens.Check(token))
        {
            case TokenCheck.Valid: return true;
            case TokenCheck.Expired:
                await Error(r, 401, "Token Expired").ConfigureAwait(false);
                return false;
            default:
                await Error(r, 401, "Invalid JWT token").ConfigureAwait(false);
                return false;
        }
    }

    /// <summary>A request body as FastAPI hands it to validation.</summary>
    private sealed record ParsedBody(bool Missing, object? Value);

    /// <summary>
    /// FastAPI reads the body before any dependency runs: bad JSON is a 422 json_invalid even without
    /// credentials. No body is left for validation to report as missing; a non-JSON content type leaves
    /// the raw text to fail model validation. Returns null when the 422 has been sent.
    /// </summary>
    private static async Task<ParsedBody?> ParseBody(ApiRequest r)
    {
        if (r.Body.Length == 0) return new ParsedBody(true, null);
        string? ct = r.ContentType;
        if (!string.IsNullOrWhiteSpace(ct) && !r.HasJsonContentType()) return new ParsedBody(false, Encoding.UTF8.GetString(r.Body));
        if (PyValue.TryLoads(r.Body, out object? value, out JsonException? error)) return new ParsedBody(false, value);
        var errors = new ValidationErrors();
        long position = error?.LineNumber is > 0 ? AbsolutePosition(r.Body, error) : error?.BytePositionInLine ?? 0;
        errors.Add("json_invalid", ["body", (int)Math.Min(int.MaxValue, position)], "JSON decode error", new PyDict(),
            new JsonObject { ["error"] = "Expecting value" });
        await Unprocessable(r, errors).ConfigureAwait(false);
        return null;
    }

    private static long AbsolutePosition(byte[] body, JsonException error)
    {
        long line = 0, index = 0;
        while (index < body.Length && line < error.LineNumber)
        {
            if (body[index] == (byte)'\n') line++;
            index++;
        }
        return index + (error.BytePositionInLine ?? 0);
    }

    /// <summary>The parsed body, or a missing-body error when there was none.</summary>
    private static object? BodyForValidation(ParsedBody body, ValidationErrors errors, out bool present)
    {
        present = !body.Missing;
        if (body.Missing) errors.Add("missing", ["body"], "Field required", null);
        return body.Value;
    }

    private static Task Unprocessable(ApiRequest r, ValidationErrors errors) =>
        Responses.FastApiJson(r.Http, 422, errors.ToBody());

    private static string NotFoundDetail(string id) => $"The Connection with connection_id: `{id}` was not found";

    private async Task Token(ApiRequest r)
    {
        ParsedBody? parsed = await ParseBody(r).ConfigureAwait(false);
        if (parsed is null) return;
        var errors = new ValidationErrors();
        object? body = BodyForValidation(parsed, errors, out bool present);
        string? user = null, password = null;
        if (present)
        {
            if (body is not PyDict d)
            {
                errors.Add("model_attributes_type", ["body"], "Input should be a valid dictionary or object to extract fields from", body);
            }
            else
            {
                foreach (string key in new[] { "username", "password" })
                {
                    if (!d.TryGet(key, out object? v)) errors.Add("missing", ["body", key], "Field required", d);
                    else if (v is not string s) errors.Add("string_type", ["body", key], "Input should be a valid string", v);
                    else if (key == "username") user = s;
                    else password = s;
                }
            }
        }
        if (errors.Count > 0) { await Unprocessable(r, errors).ConfigureAwait(false); return; }
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
        {
            await Error(r, 400, "Username and password must be provided").ConfigureAwait(false);
            return;
        }
        if (!BasicCredentials.Matches(user, password, _settings.UserName, _settings.Password))
        {
            await Error(r, 401, "Invalid credentials").ConfigureAwait(false);
            return;
        }
        await Responses.FastApiJson(r.Http, 201, new JsonObject { ["access_token"] = _tokens.Issue(user) }).ConfigureAwait(false);
    }

    private async Task GetOne(ApiRequest r, string id)
    {
        if (!await Authenticate(r).ConfigureAwait(false)) return;
        StoredConnection? c = _store.Get(id);
        if (c is null) { await Error(r, 404, NotFoundDetail(id)).ConfigureAwait(false); return; }
        await Responses.FastApiJson(r.Http, 200, ConnectionMapping.Response(c)).ConfigureAwait(false);
    }

    private async Task List(ApiRequest r)
    {
        if (!await Authenticate(r).ConfigureAwait(false)) return;
        var errors = new ValidationErrors();
        long limit = NonNegativeInt(r, "limit", 50, errors);
        long offset = NonNegativeInt(r, "offset", 0, errors);
        if (errors.Count > 0) { await Unprocessable(r, errors).ConfigureAwait(false); return; }
        limit = Math.Min(limit, 100); // [api] maximum_page_limit

        IReadOnlyList<string> orderBy = r.QueryValues("order_by");
        if (orderBy.Count == 0) orderBy = ["id"];
        string[] allowed = ["conn_id", "conn_type", "description", "host", "port", "id", "connection_id"];
        List<StoredConnection> rows = _store.All();
        string? pattern = r.QueryValues("connection_id_pattern").LastOrDefault();
        if (!string.IsNullOrEmpty(pattern))
        {
            var like = new Regex("^.*" + LikeToRegex(pattern) + ".*$", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
            rows = rows.Where(c => like.IsMatch(c.ConnId)).ToList();
        }
        foreach (string o in orderBy.Reverse())
        {
            string field = o.TrimStart('-');
            if (!allowed.Contains(field, StringComparer.Ordinal))
            {
                await Error(r, 400, $"Ordering with '{field}' is disallowed or the attribute does not exist on the model").ConfigureAwait(false);
                return;
            }
            rows = ConnectionOrdering.Sort(rows, field, o.StartsWith('-'));
        }
        int total = rows.Count;
        var items = new JsonArray(rows.Skip((int)Math.Min(offset, int.MaxValue)).Take((int)limit)
            .Select(c => (JsonNode?)ConnectionMapping.Response(c)).ToArray());
        await Responses.FastApiJson(r.Http, 200, new JsonObject { ["connections"] = items, ["total_entries"] = total }).ConfigureAwait(false);
    }

    private static string LikeToRegex(string like)
    {
        var sb = new StringBuilder();
        foreach (char c in like)
        {
            sb.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
        }
        return sb.ToString();
    }

    private static long NonNegativeInt(ApiRequest r, string name, long fallback, ValidationErrors errors)
    {
        IReadOnlyList<string> values = r.QueryValues(name);
        if (values.Count == 0) return fallback;
        string raw = values[^1];
        if (!long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
        {
            errors.Add("int_parsing", ["query", name], "Input should be a valid integer, unable to parse string as an integer", raw);
            return fallback;
        }
        if (v < 0)
        {
            errors.Add("greater_than_equal", ["query", name], "Input should be greater than or equal to 0", raw, new JsonObject { ["ge"] = 0 });
            return fallback;
        }
        return v;
    }

    private async Task Create(ApiRequest r)
    {
        ParsedBody? parsed = await ParseBody(r).ConfigureAwait(false);
        if (parsed is null) return;
        if (!await Authenticate(r).ConfigureAwait(false)) return;
        var errors = new ValidationErrors();
        object? body = BodyForValidation(parsed, errors, out bool present);
        ConnectionBody? c = present ? ConnectionBody.Validate(body, ["body"], errors) : null;
        if (errors.Count > 0 || c is null) { await Unprocessable(r, errors).ConfigureAwait(false); return; }
        StoredConnection row = ConnectionMapping.NewRow(c);
        if (!_store.TryAdd(row))
        {
            await UniqueViolation(r).ConfigureAwait(false);
            return;
        }
        await Responses.FastApiJson(r.Http, 201, ConnectionMapping.Response(_store.Get(c.ConnectionId) ?? row)).ConfigureAwait(false);
    }

    /// <summary>The global IntegrityError handler's 409 (statement and driver error hidden, as by default).</summary>
    private static Task UniqueViolation(ApiRequest r)
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var detail = new JsonObject
        {
            ["reason"] = "Unique constraint violation",
            ["statement"] = "hidden",
            ["orig_error"] = "hidden",
            ["message"] = "Serious error when handling your request. Check logs for more details - " +
                          $"you will find it in api server when you look for ID {id}",
        };
        return Responses.FastApiJson(r.Http, 409, new JsonObject { ["detail"] = detail });
    }

    private async Task Patch(ApiRequest r, string id)
    {
        ParsedBody? parsed = await ParseBody(r).ConfigureAwait(false);
        if (parsed is null) return;
        if (!await Authenticate(r).ConfigureAwait(false)) return;
        var errors = new ValidationErrors();
        object? body = BodyForValidation(parsed, errors, out bool present);
        ConnectionBody? c = present ? ConnectionBody.Validate(body, ["body"], errors) : null;
        if (errors.Count > 0 || c is null) { await Unprocessable(r, errors).ConfigureAwait(false); return; }
        if (c.ConnectionId != id)
        {
            await Error(r, 400, "The connection_id in the request body does not match the URL parameter").ConfigureAwait(false);
            return;
        }
        // update_mask: list[str] | None = Query(None) -- repeated parameters, no comma splitting.
        IReadOnlyList<string> mask = r.QueryValues("update_mask");
        StoredConnection? updated = _store.Update(id, row =>
        {
            ConnectionMapping.UpdateFromBody(row, c, mask.Count > 0 ? mask : null);
            return true;
        });
        if (updated is null) { await Error(r, 404, NotFoundDetail(id)).ConfigureAwait(false); return; }
        await Responses.FastApiJson(r.Http, 200, ConnectionMapping.Response(updated)).ConfigureAwait(false);
    }

    private async Task Delete(ApiRequest r, string id)
    {
        if (!await Authenticate(r).ConfigureAwait(false)) return;
        if (!_store.Remove(id)) { await Error(r, 404, NotFoundDetail(id)).ConfigureAwait(false); return; }
        await Responses.Empty(r.Http, 204).ConfigureAwait(false);
    }

    private async Task Bulk(ApiRequest r)
    {
        ParsedBody? parsed = await ParseBody(r).ConfigureAwait(false);
        if (parsed is null) return;
        if (!await Authenticate(r).ConfigureAwait(false)) return;
        var errors = new ValidationErrors();
        object? body = BodyForValidation(parsed, errors, out bool present);
        List<BulkActionBody>? actions = present ? BulkBody.Validate(body, errors) : null;
        if (errors.Count > 0 || actions is null) { await Unprocessable(r, errors).ConfigureAwait(false); return; }
        BulkConnectionService.Outcome outcome = BulkConnectionService.Handle(_store, actions, _settings.BulkUpdateIgnoresMask);
        if (outcome.UniqueViolation) { await UniqueViolation(r).ConfigureAwait(false); return; }
        await Responses.FastApiJson(r.Http, 200, outcome.Response).ConfigureAwait(false);
    }
}
