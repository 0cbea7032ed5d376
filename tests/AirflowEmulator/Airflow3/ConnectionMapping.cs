using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using AirflowEmulator.Python;
using AirflowEmulator.Store;

namespace AirflowEmulator.Airflow3;

/// <summary>Between ConnectionBody / ConnectionResponse and the stored row, as Airflow 3 maps them.</summary>
internal static class ConnectionMapping
{
    /// <summary>Connection(**body.model_dump(by_alias=True)).</summary>
    public static StoredConnection NewRow(ConnectionBody b)
    {
        var row = new StoredConnection { ConnId = b.ConnectionId };
        Overwrite(row, b);
        return row;
    }

    public static void Overwrite(StoredConnection row, ConnectionBody b)
    {
        row.ConnType = b.ConnType;
        row.Description = b.Description;
        row.Host = b.Host;
        row.Login = b.Login;
        row.Schema = b.Schema;
        row.Port = b.Port;
        row.Password = b.Password;
        row.Extra = b.Extra;
    }

    /// <summary>
    /// update_orm_from_pydantic: the fields the body set (pydantic names, so "schema_"), minus
    /// connection_id, password and extra, narrowed by update_mask; then password and extra are assigned
    /// from the body (None when absent) unless an update_mask leaves them out.
    /// </summary>
    public static void UpdateFromBody(StoredConnection row, ConnectionBody b, IReadOnlyList<string>? updateMask)
    {
        bool masked = updateMask is { Count: > 0 };
        IEnumerable<string> fields = b.FieldsSet.Except(["connection_id", "conn_id", "password", "extra"], StringComparer.Ordinal);
        if (masked) fields = fields.Intersect(updateMask!, StringComparer.Ordinal);
        foreach (string f in fields.ToList())
        {
            switch (f)
            {
                case "conn_type": row.ConnType = b.ConnType; break;
                case "description": row.Description = b.Description; break;
                case "host": row.Host = b.Host; break;
                case "login": row.Login = b.Login; break;
                case "schema_": row.Schema = b.Schema; break;
                case "port": row.Port = b.Port; break;
            }
        }
        if (!masked || updateMask!.Contains("password", StringComparer.Ordinal)) row.Password = b.Password;
        if (!masked || updateMask!.Contains("extra", StringComparer.Ordinal)) row.Extra = b.Extra;
    }

    /// <summary>ConnectionResponse (3.1 schema): password and sensitive extra keys redacted.</summary>
    public static JsonObject Response(StoredConnection c) => new()
    {
        ["connection_id"] = c.ConnId,
        ["conn_type"] = c.ConnType,
        ["description"] = c.Description,
        ["host"] = c.Host,
        ["login"] = c.Login,
        ["schema"] = c.Schema,
        ["port"] = c.Port,
        ["password"] = c.Password is null ? null : "***",
        ["extra"] = SecretsMasker.RedactExtra(c.Extra),
    };
}
