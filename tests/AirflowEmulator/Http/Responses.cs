using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AirflowEmulator.Http;

internal static class Responses
{
    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Writes JSON text exactly as given.</summary>
    public static async Task Text(HttpContext ctx, int status, string text, string contentType)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    /// <summary>Compact JSON, non-ASCII unescaped: what FastAPI's JSONResponse sends.</summary>
    public static Task FastApiJson(HttpContext ctx, int status, JsonNode? body) =>
        Text(ctx, status, body is null ? "null" : body.ToJsonString(Compact), "application/json");

    public static Task Empty(HttpContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
