using System.Collections.Generic;
using System.Text.Json.Nodes;
using AirflowEmulator.Python;

namespace AirflowEmulator.Airflow3;

/// <summary>
/// Pydantic v2 errors as FastAPI returns them in a 422: {"detail":[{"type","loc","msg","input","ctx"?}]}.
/// </summary>
internal sealed class ValidationErrors
{
    private readonly JsonArray _items = [];

    public int Count => _items.Count;

    public void Add(string type, IReadOnlyList<object> loc, string msg, object? input, JsonObject? ctx = null)
    {
        var locArr = new JsonArray();
        foreach (object part in loc)
        {
            locArr.Add(part switch { int i => JsonValue.Create(i), _ => JsonValue.Create(part.ToString()) });
        }
        var item = new JsonObject
        {
            ["type"] = type,
            ["loc"] = locArr,
            ["msg"] = msg,
            ["input"] = PyValue.ToNode(input),
        };
        if (ctx is not null) item["ctx"] = ctx;
        _items.Add(item);
    }

    public JsonObject ToBody() => new() { ["detail"] = _items.DeepClone() };

    public static List<object> Loc(IReadOnlyList<object> prefix, params object[] more)
    {
        var l = new List<object>(prefix);
        l.AddRange(more);
        return l;
    }
}
