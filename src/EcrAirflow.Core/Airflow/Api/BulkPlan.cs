using System.Collections.Generic;
using EcrAirflow.Core.Modes;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>
    /// What an Airflow 3 refresh does with each connection, decided from one read of all of them: update the
    /// Docker connections that exist, create the missing ones, replace what is not a Docker connection (only with
    /// -ReplaceNonDocker, else refuse it), all in one bulk request; a Docker connection whose extra cannot be sent
    /// back gets a PATCH of its own.
    /// </summary>
    internal sealed class BulkPlan
    {
        /// <summary>Existing Docker connections, each with the extra to send (as read, merged with -Email/-Reauth).</summary>
        public List<(DockerConnection Connection, StoredConnection Stored, string? Extra)> Update { get; } = new List<(DockerConnection, StoredConnection, string?)>();

        /// <summary>Nothing at the id: created (action_on_existence skip, so a connection created meanwhile is left alone).</summary>
        public List<DockerConnection> Create { get; } = new List<DockerConnection>();

        /// <summary>Something else at the id, and the user typed -ReplaceNonDocker: written anew (create, overwrite).</summary>
        public List<DockerConnection> Replace { get; } = new List<DockerConnection>();

        /// <summary>
        /// Docker connections whose extra came back masked or not as a JSON object: sending it back could replace
        /// the real values on a release that ignores the bulk update_mask, so each gets a PATCH
        /// /connections/{id} whose update_mask leaves extra out (every release honours a single PATCH's mask).
        /// </summary>
        public List<(DockerConnection Connection, StoredConnection Stored)> Single { get; } = new List<(DockerConnection, StoredConnection)>();

        /// <summary>Refused before any write: not a Docker connection (NotDockerConnection), or -Email/-Reauth over a masked extra.</summary>
        public List<ConnectionFailure> Refused { get; } = new List<ConnectionFailure>();

        /// <summary>How many connections go in the bulk request.</summary>
        public int Count => Update.Count + Create.Count + Replace.Count;

        public static BulkPlan For(IReadOnlyList<DockerConnection> connections, IReadOnlyDictionary<string, StoredConnection> stored)
        {
            var plan = new BulkPlan();
            foreach (var connection in connections)
            {
                var there = stored[connection.ConnectionId];
                switch (there.Kind)
                {
                    case StoredKind.Missing:
                        plan.Create.Add(connection);
                        break;
                    case StoredKind.NotDocker when connection.ReplaceNonDocker:
                        plan.Replace.Add(connection);
                        break;
                    case StoredKind.NotDocker:
                        plan.Refused.Add(new ConnectionFailure(connection, ModeErrors.NotDocker(there)));
                        break;
                    default:
                        plan.AddDocker(connection, there);
                        break;
                }
            }

            return plan;
        }

        private void AddDocker(DockerConnection connection, StoredConnection stored)
        {
            // What is read back masked ("***") is not what Airflow stores: it never goes back where it could
            // replace the real value. Without -Email/-Reauth the extra is not ours to write at all.
            var masked = ApiExtra.MaskedKeys(stored.Extra);
            if (connection.HasExtra && masked.Count > 0)
            {
                Refused.Add(new ConnectionFailure(connection, AirflowErrors.ExtraMaskedFor(connection.ConnectionId, masked)));
                return;
            }

            var extra = ConnectionMerge.Extra(stored.Extra, connection);
            if (masked.Count > 0 || !ApiExtra.IsObjectOrNone(extra))
            {
                Single.Add((connection, stored));
                return;
            }

            Update.Add((connection, stored, extra));
        }
    }
}
