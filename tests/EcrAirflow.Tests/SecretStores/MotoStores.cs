using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;

namespace EcrAirflow.Tests.SecretStores
{
    /// <summary>
    /// Sets up moto's Secrets Manager and Parameter Store with boto3 as the peer's admin user, as a user or another
    /// tool would (tests/peers/airflow/seed_backend_value.py, read_backend_value.py); never through the module.
    /// </summary>
    internal static class MotoStores
    {
        /// <summary>Kind "secret" or "parameter"; <paramref name="spec"/> goes to the script's stdin as JSON.</summary>
        public static JsonElement Seed(MotoFixture moto, string kind, object spec) =>
            JsonDocument.Parse(Run(moto, "seed_backend_value.py", JsonSerializer.Serialize(spec), kind)).RootElement.Clone();

        /// <summary>Schedules a secret for deletion (7-day recovery window), as `aws secretsmanager delete-secret` does.</summary>
        public static void DeleteSecret(MotoFixture moto, string name) => Run(moto, "read_backend_value.py", null, "delete-secret", name);

        private static string Run(MotoFixture moto, string script, string? input, params string[] arguments)
        {
            var psi = new ProcessStartInfo("python3")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "peers", "airflow", script));
            foreach (var argument in arguments)
            {
                psi.ArgumentList.Add(argument);
            }

            psi.Environment["READER_ENDPOINT"] = moto.Endpoint.ToString().TrimEnd('/');
            psi.Environment["READER_REGION"] = "eu-west-1";
            psi.Environment["READER_KEY_ID"] = moto.Admin.AccessKeyId;
            psi.Environment["READER_SECRET"] = moto.Admin.SecretAccessKey;
            using var process = Process.Start(psi)!;
            process.StandardInput.Write(input ?? string.Empty);
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{script} {arguments[0]} failed ({process.ExitCode}): {error.Result}");
            }

            return output;
        }
    }
}
