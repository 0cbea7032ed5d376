using System;
using System.Net;
using System.Net.Http;
using EcrAirflow.Core.Internal.Http;

namespace EcrAirflow.Core.Airflow.Api
{
    /// <summary>An answer from Airflow, read whole (at most HttpDefaults.MaxResponseBytes); the response itself is already disposed.</summary>
    internal sealed record AirflowReply(HttpMethod Method, Uri Uri, HttpStatusCode Status, string? Reason, string Body, Uri? Location)
    {
        public int Code => (int)Status;

        public bool IsSuccess => Code >= 200 && Code < 300;

        /// <summary>"PATCH https://host/api/v1/connections/ecr", safe to print.</summary>
        public string Request => Method.Method + " " + SafeUrl.Describe(Uri);

        /// <summary>Never the body: it may echo what we sent.</summary>
        public override string ToString() => Request + " -> " + Code;
    }
}
