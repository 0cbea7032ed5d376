using System;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>The REST API paths both Airflow versions' clients build, below Airflow's base URL.</summary>
    internal static class ApiPaths
    {
        public const string V1Connections = "api/v1/connections";

        public const string V2Connections = "api/v2/connections";

        /// <summary>One path segment, escaped (connection ids may hold any \w letter).</summary>
        public static string Segment(string value) => Uri.EscapeDataString(value);

        public static string V1Connection(string connectionId) => V1Connections + "/" + Segment(connectionId);

        public static string V2Connection(string connectionId) => V2Connections + "/" + Segment(connectionId);
    }
}
