using System.Collections.Generic;
using System.Threading.Tasks;
using AirflowEmulator.Http;
using AirflowEmulator.Python;
using Microsoft.AspNetCore.Http;

namespace AirflowEmulator.Airflow2;

/// <summary>
/// Airflow 2's error bodies: connexion problem JSON (RFC 7807) with detail/status/title/type, where
/// type is a link into the REST reference for the statuses Airflow maps, else "about:blank".
/// </summary>
internal static class Problem
{
    private const string DocLink = "https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html";

    public static string TypeFor(int status) => status switch
    {
        400 => DocLink + "#section/Errors/BadRequest",
        401 => DocLink + "#section/Errors/Unauthenticated",
        403 => DocLink + "#section/Errors/PermissionDenied",
        404 => DocLink + "#section/Errors/NotFound",
        405 => DocLink + "#section/Errors/MethodNotAllowed",
        409 => DocLink + "#section/Errors/AlreadyExists",
        500 => DocLink + "#section/Errors/Unknown",
        _ => "about:blank",
    };

    public static string Title(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };

    /// <summary>Flask's JSON: indent 2, sorted keys, ASCII only, trailing newline.</summary>
    public static string FlaskJson(object? value) => PyFormat.JsonDumps(value, indent: 2, sortKeys: true) + "\n";

    public static Task Write(HttpContext ctx, int status, string? detail, string? title = null, string? type = null,
        IDictionary<string, string>? headers = null)
    {
        var body = new PyDict();
        body.Set("detail", detail);
        body.Set("status", (long)status);
        body.Set("title", title ?? Title(status));
        body.Set("type", type ?? TypeFor(status));
        if (headers is not null)
        {
            foreach (KeyValuePair<string, string> h in headers) ctx.Response.Headers[h.Key] = h.Value;
        }
        return Responses.Text(ctx, status, FlaskJson(body), "application/problem+json");
    }

    /// <summary>A raised ProblemException (BadRequest, NotFound, AlreadyExists...): typed by the link map.</summary>
    public static Task Raise(HttpContext ctx, int status, string? detail, string? title = null) =>
        Write(ctx, status, detail, title);

    /// <summary>A werkzeug HTTPException (routing 404/405) rendered by Airflow's handler: type about:blank.</summary>
    public static Task Werkzeug(HttpContext ctx, int status, string detail) =>
        Write(ctx, status, detail, Title(status), "about:blank");
}
