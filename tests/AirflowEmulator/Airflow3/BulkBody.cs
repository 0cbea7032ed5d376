using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using AirflowEmulator.Python;

namespace AirflowEmulator.Airflow3;

internal abstract class BulkActionBody
{
    public abstract string Action { get; }
}

internal sealed class BulkCreateAction : BulkActionBody
{
    public override string Action => "create";
    public required List<ConnectionBody> Entities { get; init; }
    public required string ActionOnExistence { get; init; }
}

internal sealed class BulkUpdateAction : BulkActionBody
{
    public override string Action => "update";
    public required List<ConnectionBody> Entities { get; init; }
    public List<string>? UpdateMask { get; init; }
    public required string ActionOnNonExistence { get; init; }
}

internal sealed class BulkDeleteAction : BulkActionBody
{
    public override string Action => "delete";
    public required List<string> Entities { get; init; }
    public required string ActionOnNonExistence { get; init; }
}

/// <summary>
/// BulkBody[ConnectionBody]: {"actions":[...]} where each action is picked by its "action" tag
/// (pydantic callable discriminator) and is a StrictBaseModel (extra fields forbidden).
/// </summary>
internal static class BulkBody
{
    private const string Discriminator = "_action_discriminator()";

    public static List<BulkActionBody>? Validate(object? input, ValidationErrors errors)
    {
        object[] body = ["body"];
        if (input is not PyDict d)
        {
            errors.Add("model_attributes_type", body, "Input should be a valid dictionary or object to extract fields from", input);
            return null;
        }
        int before = errors.Count;
        var actions = new List<BulkActionBody>();
        if (!d.TryGet("actions", out object? actionsValue))
        {
            errors.Add("missing", ValidationErrors.Loc(body, "actions"), "Field required", d);
        }
        else if (actionsValue is not List<object?> list)
        {
            errors.Add("list_type", ValidationErrors.Loc(body, "actions"), "Input should be a valid list", actionsValue);
        }
        else
        {
            for (int i = 0; i < list.Count; i++)
            {
                BulkActionBody? a = ValidateAction(list[i], ValidationErrors.Loc(body, "actions", i), errors);
                if (a is not null) actions.Add(a);
            }
        }
        ForbidExtra(d, ["actions"], body, errors);
        return errors.Count == before ? actions : null;
    }

    private static BulkActionBody? ValidateAction(object? input, List<object> loc, ValidationErrors errors)
    {
        if (input is not PyDict d || !d.TryGet("action", out object? tagValue))
        {
            errors.Add("union_tag_not_found", loc, $"Unable to extract tag using discriminator {Discriminator}", input,
                new JsonObject { ["discriminator"] = Discriminator });
            return null;
        }
        string tag = tagValue is string s ? s : PyFormat.Repr(tagValue);
        if (tag is not ("create" or "update" or "delete"))
        {
            errors.Add("union_tag_invalid", loc,
                $"Input tag '{tag}' found using {Discriminator} does not match any of the expected tags: 'create', 'update', 'delete'",
                input, new JsonObject { ["discriminator"] = Discriminator, ["tag"] = tag, ["expected_tags"] = "'create', 'update', 'delete'" });
            return null;
        }
        List<object> l = ValidationErrors.Loc(loc, tag);
        int before = errors.Count;
        switch (tag)
        {
            case "create":
            {
                List<ConnectionBody>? entities = Entities(d, l, errors);
                string onExistence = Enum(d, "action_on_existence", ["fail", "skip", "overwrite"], l, errors);
                ForbidExtra(d, ["action", "entities", "action_on_existence"], l, errors);
                return errors.Count == before && entities is not null
                    ? new BulkCreateAction { Entities = entities, ActionOnExistence = onExistence }
                    : null;
            }
            case "update":
            {
                List<ConnectionBody>? entities = Entities(d, l, errors);
                List<string>? mask = UpdateMask(d, l, errors);
                string onMissing = Enum(d, "action_on_non_existence", ["fail", "skip"], l, errors);
                ForbidExtra(d, ["action", "entities", "update_mask", "action_on_non_existence"], l, errors);
                return errors.Count == before && entities is not null
                    ? new BulkUpdateAction { Entities = entities, UpdateMask = mask, ActionOnNonExistence = onMissing }
                    : null;
            }
            default:
            {
                List<string>? ids = DeleteEntities(d, l, errors);
                string onMissing = Enum(d, "action_on_non_existence", ["fail", "skip"], l, errors);
                ForbidExtra(d, ["action", "entities", "action_on_non_existence"], l, errors);
                return errors.Count == before && ids is not null
                    ? new BulkDeleteAction { Entities = ids, ActionOnNonExistence = onMissing }
                    : null;
            }
        }
    }

    private static List<ConnectionBody>? Entities(PyDict d, List<object> loc, ValidationErrors errors)
    {
        if (!d.TryGet("entities", out object? v))
        {
            errors.Add("missing", ValidationErrors.Loc(loc, "entities"), "Field required", d);
            return null;
        }
        if (v is not List<object?> list)
        {
            errors.Add("list_type", ValidationErrors.Loc(loc, "entities"), "Input should be a valid list", v);
            return null;
        }
        var result = new List<ConnectionBody>();
        bool ok = true;
        for (int i = 0; i < list.Count; i++)
        {
            ConnectionBody? c = ConnectionBody.Validate(list[i], ValidationErrors.Loc(loc, "entities", i), errors);
            if (c is null) ok = false; else result.Add(c);
        }
        return ok ? result : null;
    }

    /// <summary>list[str | ConnectionBody]: ids, or bodies whose connection_id is used.</summary>
    private static List<string>? DeleteEntities(PyDict d, List<object> loc, ValidationErrors errors)
    {
        if (!d.TryGet("entities", out object? v))
        {
            errors.Add("missing", ValidationErrors.Loc(loc, "entities"), "Field required", d);
            return null;
        }
        if (v is not List<object?> list)
        {
            errors.Add("list_type", ValidationErrors.Loc(loc, "entities"), "Input should be a valid list", v);
            return null;
        }
        var ids = new List<string>();
        bool ok = true;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is string s) { ids.Add(s); continue; }
            var scratch = new ValidationErrors();
            ConnectionBody? c = ConnectionBody.Validate(list[i], ValidationErrors.Loc(loc, "entities", i, "ConnectionBody"), scratch);
            if (c is not null) { ids.Add(c.ConnectionId); continue; }
            ok = false;
            errors.Add("string_type", ValidationErrors.Loc(loc, "entities", i, "str"), "Input should be a valid string", list[i]);
            ConnectionBody.Validate(list[i], ValidationErrors.Loc(loc, "entities", i, "ConnectionBody"), errors);
        }
        return ok ? ids : null;
    }

    private static List<string>? UpdateMask(PyDict d, List<object> loc, ValidationErrors errors)
    {
        if (!d.TryGet("update_mask", out object? v) || v is null) return null;
        if (v is not List<object?> list)
        {
            errors.Add("list_type", ValidationErrors.Loc(loc, "update_mask"), "Input should be a valid list", v);
            return null;
        }
        var mask = new List<string>();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is string s) mask.Add(s);
            else errors.Add("string_type", ValidationErrors.Loc(loc, "update_mask", i), "Input should be a valid string", list[i]);
        }
        return mask;
    }

    private static string Enum(PyDict d, string key, string[] allowed, List<object> loc, ValidationErrors errors)
    {
        if (!d.TryGet(key, out object? v)) return "fail";
        if (v is string s && allowed.Contains(s, StringComparer.Ordinal)) return s;
        string expected = allowed.Length == 2
            ? $"'{allowed[0]}' or '{allowed[1]}'"
            : string.Join(", ", allowed[..^1].Select(a => $"'{a}'")) + $" or '{allowed[^1]}'";
        errors.Add("enum", ValidationErrors.Loc(loc, key), $"Input should be {expected}", v, new JsonObject { ["expected"] = expected });
        return "fail";
    }

    private static void ForbidExtra(PyDict d, string[] known, IReadOnlyList<object> loc, ValidationErrors errors)
    {
        foreach (string key in d.Keys)
        {
            if (known.Contains(key, StringComparer.Ordinal)) continue;
            d.TryGet(key, out object? v);
            errors.Add("extra_forbidden", ValidationErrors.Loc(loc, key), "Extra inputs are not permitted", v);
        }
    }
}
