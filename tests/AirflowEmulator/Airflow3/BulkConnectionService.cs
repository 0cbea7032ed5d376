using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using AirflowEmulator.Python;
using AirflowEmulator.Store;

namespace AirflowEmulator.Airflow3;

/// <summary>
/// Airflow 3's BulkConnectionService: the actions run in order inside one transaction; a per-action
/// problem (existing id with "fail", missing id with "fail") becomes an entry in that action's errors and
/// the rest of the request still applies. Only a unique-constraint violation at commit (the same new id
/// twice) fails the whole request, which Airflow turns into a 409.
/// </summary>
internal static class BulkConnectionService
{
    public sealed record Outcome(JsonObject? Response, bool UniqueViolation);

    private sealed class ActionResult
    {
        public List<string> Success { get; } = [];
        public List<JsonObject> Errors { get; } = [];

        public JsonObject ToJson() => new()
        {
            ["success"] = new JsonArray(Success.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            ["errors"] = new JsonArray(Errors.Select(e => (JsonNode?)e).ToArray()),
        };
    }

    public static Outcome Handle(ConnectionStore store, List<BulkActionBody> actions, bool updateIgnoresMask = false)
    {
        return store.InTransaction(tx =>
        {
            var results = new Dictionary<string, ActionResult>(StringComparer.Ordinal);
            foreach (BulkActionBody action in actions)
            {
                if (!results.TryGetValue(action.Action, out ActionResult? result))
                {
                    result = new ActionResult();
                    results[action.Action] = result;
                }
                bool ok = action switch
                {
                    BulkCreateAction c => Create(tx, c, result),
                    BulkUpdateAction u => Update(tx, u, result, updateIgnoresMask),
                    BulkDeleteAction d => Delete(tx, d, result),
                    _ => true,
                };
                if (!ok) return (false, new Outcome(null, true));
            }
            var response = new JsonObject
            {
                ["create"] = results.TryGetValue("create", out ActionResult? cr) ? cr.ToJson() : null,
                ["update"] = results.TryGetValue("update", out ActionResult? ur) ? ur.ToJson() : null,
                ["delete"] = results.TryGetValue("delete", out ActionResult? dr) ? dr.ToJson() : null,
            };
            return (true, new Outcome(response, false));
        });
    }

    private static JsonObject Error(string message, int status) => new() { ["error"] = message, ["status_code"] = status };

    /// <returns>false on a unique-constraint violation (the whole transaction fails).</returns>
    private static bool Create(ConnectionStore.Transaction tx, BulkCreateAction action, ActionResult result)
    {
        var ids = new HashSet<string>(action.Entities.Select(e => e.ConnectionId), StringComparer.Ordinal);
        var matched = new HashSet<string>(ids.Where(id => tx.Find(id) is not null), StringComparer.Ordinal);
        HashSet<string> toCreate;
        if (action.ActionOnExistence == "fail" && matched.Count > 0)
        {
            result.Errors.Add(Error($"The connections with these connection_ids: {PyFormat.ReprSet(matched)} already exist.", 409));
            return true;
        }
        toCreate = action.ActionOnExistence == "skip"
            ? new HashSet<string>(ids.Except(matched), StringComparer.Ordinal)
            : ids;
        foreach (ConnectionBody entity in action.Entities)
        {
            if (!toCreate.Contains(entity.ConnectionId)) continue;
            if (matched.Contains(entity.ConnectionId))
            {
                // setattr for every field of model_dump(by_alias=True): unset fields become None.
                ConnectionMapping.Overwrite(tx.Find(entity.ConnectionId)!, entity);
            }
            else if (!tx.Add(ConnectionMapping.NewRow(entity)))
            {
                return false;
            }
            result.Success.Add(entity.ConnectionId);
        }
        return true;
    }

    private static bool Update(ConnectionStore.Transaction tx, BulkUpdateAction action, ActionResult result, bool ignoresMask)
    {
        var ids = new HashSet<string>(action.Entities.Select(e => e.ConnectionId), StringComparer.Ordinal);
        var notFound = new HashSet<string>(ids.Where(id => tx.Find(id) is null), StringComparer.Ordinal);
        if (action.ActionOnNonExistence == "fail" && notFound.Count > 0)
        {
            result.Errors.Add(Error($"The connections with these connection_ids: {PyFormat.ReprSet(notFound)} were not found.", 404));
            return true;
        }
        foreach (ConnectionBody entity in action.Entities)
        {
            StoredConnection? row = tx.Find(entity.ConnectionId);
            if (row is null) continue; // skipped (action_on_non_existence=skip)
            // handle_bulk_update: update_orm_from_pydantic(old, entity, action.update_mask); the 3.0 releases
            // leave the mask out, so every field the entity sets is written and password and extra always are.
            ConnectionMapping.UpdateFromBody(row, entity, ignoresMask ? null : action.UpdateMask);
            result.Success.Add(entity.ConnectionId);
        }
        return true;
    }

    private static bool Delete(ConnectionStore.Transaction tx, BulkDeleteAction action, ActionResult result)
    {
        List<string> ids = action.Entities.Distinct(StringComparer.Ordinal).ToList();
        var notFound = new HashSet<string>(ids.Where(id => tx.Find(id) is null), StringComparer.Ordinal);
        if (action.ActionOnNonExistence == "fail" && notFound.Count > 0)
        {
            result.Errors.Add(Error($"The connections with these connection_ids: {PyFormat.ReprSet(notFound)} were not found.", 404));
            return true;
        }
        foreach (string id in ids)
        {
            if (tx.Remove(id)) result.Success.Add(id);
        }
        return true;
    }
}
