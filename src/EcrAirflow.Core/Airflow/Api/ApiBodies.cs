using System.Collections.Generic;
using System.Linq;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// The request bodies of a refresh through Airflow's REST APIs, built from the connection and what the read
    /// found there. A refresh owns host, login, password and the description's expiry note (the user's own text
    /// kept, <see cref="DockerConnection.DescriptionOver"/>); extra only when -Email/-Reauth are given, and then
    /// only their keys, merged into the extra as read. update_mask names exactly those fields, in both APIs.
    /// </summary>
    /// <remarks>Every body holds the ECR password: the caller clears it after its request.</remarks>
    internal static class ApiBodies
    {
        private static readonly string[] Owned = { "host", "login", "password", "description" };

        /// <summary>The fields a refresh of <paramref name="connection"/> writes over a stored Docker connection.</summary>
        public static IReadOnlyList<string> Mask(DockerConnection connection) =>
            connection.HasExtra ? Owned.Concat(new[] { "extra" }).ToArray() : Owned;

        /// <summary>
        /// The extra to send: the stored one with -Email/-Reauth merged in. Only called when they are given: an extra
        /// read back with masked values cannot be merged (the mask would replace the real values), so that
        /// connection is refused (<see cref="AirflowErrors.ExtraMasked"/>).
        /// </summary>
        public static string? MergedExtra(DockerConnection connection, StoredConnection stored)
        {
            var masked = ApiExtra.MaskedKeys(stored.Extra);
            if (connection.HasExtra && masked.Count > 0)
            {
                throw AirflowErrors.ExtraMaskedFor(connection.ConnectionId, masked);
            }

            return ConnectionMerge.Extra(stored.Extra, connection);
        }

        /// <summary>API v1 PATCH over a Docker connection: host, login, password, description (and extra with -Email/-Reauth).</summary>
        public static (byte[] Body, string Mask) V1Update(DockerConnection connection, StoredConnection stored)
        {
            var json = new JsonText(512).StartObject();
            WriteOwned(json, connection, connection.DescriptionOver(stored.Description));
            if (connection.HasExtra)
            {
                WriteExtra(json, MergedExtra(connection, stored));
            }

            return (json.EndObject().ToUtf8(), string.Join(",", Mask(connection)));
        }

        /// <summary>
        /// API v1 PATCH over what is not a Docker connection, with -ReplaceNonDocker: a new Docker connection in its
        /// place, every field named (port, schema and extra of the old one do not belong to it).
        /// </summary>
        public static (byte[] Body, string Mask) V1Replace(DockerConnection connection)
        {
            var json = new JsonText(512).StartObject().Member("conn_type", DockerConnection.ConnType);
            WriteOwned(json, connection, connection.Description);
            json.Name("port").Raw("null").Name("schema").Raw("null");
            WriteExtra(json, ConnectionJson.Extra(connection));
            return (json.EndObject().ToUtf8(), "conn_type,host,login,password,description,port,schema,extra");
        }

        /// <summary>
        /// API v2's one bulk request: an update (action_on_non_existence skip) of the Docker connections that
        /// exist, a create (action_on_existence skip) of those that do not, and a create with overwrite for what
        /// -ReplaceNonDocker replaces. Empty actions are left out.
        /// </summary>
        /// <remarks>
        /// Some Airflow 3 releases apply a bulk update without its update_mask (handle_bulk_update calls
        /// update_orm_from_pydantic(old, entity)): every field the entity sets is written, and password and extra
        /// always are, even when left out. So each update entity is complete: conn_type, host, login, password,
        /// description, port, schema and extra as read (merged with -Email/-Reauth), and the mask is sent too, for
        /// the releases that honour it. Only an extra that can go back unchanged is in an update entity (no masked
        /// value in it, see <see cref="BulkPlan"/>).
        /// </remarks>
        public static byte[] Bulk(BulkPlan plan)
        {
            var json = new JsonText(768 * plan.Count).StartObject().Name("actions").StartArray();
            // One update action per update_mask (the same for the whole batch: -Email/-Reauth are the command's).
            foreach (var group in plan.Update.GroupBy(u => string.Join(",", Mask(u.Connection))))
            {
                json.StartObject().Member("action", "update").Name("entities").StartArray();
                foreach (var (connection, stored, extra) in group)
                {
                    json.StartObject().Member("connection_id", connection.ConnectionId).Member("conn_type", DockerConnection.ConnType);
                    WriteOwned(json, connection, connection.DescriptionOver(stored.Description));
                    json.Name("port");
                    if (stored.Port.HasValue)
                    {
                        json.Number(stored.Port.Value);
                    }
                    else
                    {
                        json.Raw("null");
                    }

                    json.Name("schema");
                    if (stored.Schema != null)
                    {
                        json.String(stored.Schema);
                    }
                    else
                    {
                        json.Raw("null");
                    }

                    WriteExtra(json, extra);
                    json.EndObject();
                }

                json.EndArray().Name("update_mask").StartArray();
                foreach (var field in Mask(group.First().Connection))
                {
                    json.String(field);
                }

                json.EndArray().Member("action_on_non_existence", "skip").EndObject();
            }

            WriteCreate(json, plan.Create, "skip");
            WriteCreate(json, plan.Replace, "overwrite");
            return json.EndArray().EndObject().ToUtf8();
        }

        /// <summary>
        /// API v2 PATCH /connections/{id} for a connection whose extra cannot go back (masked or not JSON): the owned
        /// fields only, with update_mask naming them. Every Airflow 3 release applies the mask of a single PATCH, so
        /// the extra stays as Airflow has it.
        /// </summary>
        public static (byte[] Body, string Query) V2Single(DockerConnection connection, StoredConnection stored)
        {
            var json = new JsonText(512).StartObject().Member("connection_id", connection.ConnectionId).Member("conn_type", DockerConnection.ConnType);
            WriteOwned(json, connection, connection.DescriptionOver(stored.Description));
            var query = string.Join("&", Owned.Select(f => "update_mask=" + f));
            return (json.EndObject().ToUtf8(), query);
        }

        private static void WriteCreate(JsonText json, IReadOnlyList<DockerConnection> connections, string onExistence)
        {
            if (connections.Count == 0)
            {
                return;
            }

            json.StartObject().Member("action", "create").Name("entities").StartArray();
            foreach (var connection in connections)
            {
                json.StartObject().Member("connection_id", connection.ConnectionId).Member("conn_type", DockerConnection.ConnType);
                WriteOwned(json, connection, connection.Description);
                var extra = ConnectionJson.Extra(connection);
                if (extra != null)
                {
                    json.Member("extra", extra);
                }

                json.EndObject();
            }

            json.EndArray().Member("action_on_existence", onExistence).EndObject();
        }

        private static void WriteOwned(JsonText json, DockerConnection connection, string? description)
        {
            json.Member("host", connection.Host)
                .Member("login", connection.Login)
                .Member("password", connection.RevealPassword());
            json.Name("description");
            if (description != null)
            {
                json.String(description);
            }
            else
            {
                json.Raw("null");
            }
        }

        /// <summary>extra is a JSON string in both APIs; null when there is none.</summary>
        private static void WriteExtra(JsonText json, string? extra)
        {
            json.Name("extra");
            if (extra != null)
            {
                json.String(extra);
            }
            else
            {
                json.Raw("null");
            }
        }
    }
}
