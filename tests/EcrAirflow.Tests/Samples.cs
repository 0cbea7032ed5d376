using EcrAirflow.Core.Airflow;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// What the unit tests write: an ECR connection whose token has the characters careless encoders break.
    /// </summary>
    internal static class Samples
    {
        public static DockerConnection Connection(string id = "ecr", string host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com", string login = "AWS", string password = "tok+/=en") =>
            new DockerConnection(id, host, login, DockerConnection.Secure(password)) { Description = "Managed by EcrAirflow" };
    }
}
