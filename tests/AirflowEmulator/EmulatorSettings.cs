using System;
using System.Collections.Generic;
using System.Globalization;

namespace AirflowEmulator;

/// <summary>What the command line asked for. ASP.NET reads --urls itself; the rest is ours.</summary>
internal sealed class EmulatorSettings
{
    public int AirflowVersion { get; private init; } = 3;
    public string UserName { get; private init; } = "admin";
    public string Password { get; private init; } = "admin";

    /// <summary>Lifetime of issued JWTs (Airflow's default [api_auth] jwt_expiration_time is 86400 s).</summary>
    public TimeSpan TokenLifetime { get; private init; } = TimeSpan.FromSeconds(86400);

    /// <summary>When false the emulator does not stop when stdin reaches end of file (manual runs).</summary>
    public bool WatchStdin { get; private init; } = true;

    /// <summary>
    /// Where the API is mounted, e.g. "/airflow" for an Airflow behind a reverse proxy at
    /// https://example.com/airflow (empty: at the root). Requests outside the prefix get a 404.
    /// </summary>
    public string PathPrefix { get; private init; } = "";

    /// <summary>
    /// Plays an Airflow 3.0 release whose BulkConnectionService.handle_bulk_update calls
    /// update_orm_from_pydantic(old, entity) without the action's update_mask (airflow-core
    /// services/public/connections.py before the mask was passed on): every field the entity sets is written,
    /// and password and extra are always assigned, None when the entity leaves them out. Off: the action's
    /// update_mask is honoured, as in the code that passes action.update_mask.
    /// </summary>
    public bool BulkUpdateIgnoresMask { get; private init; }

    public string AirflowRelease => AirflowVersion == 2 ? "2.10.5" : "3.1.0";

    /// <summary>Where the test peers hand the emulator its admin password (never on its command line).</summary>
    public const string PasswordVariable = "AIRFLOW_EMULATOR_PASSWORD";

    public static EmulatorSettings Parse(IReadOnlyList<string> args)
    {
        int version = 3;
        // The password from the environment (AIRFLOW_EMULATOR_PASSWORD), so it is on no command line; --password
        // still works for a quick manual run.
        string user = "admin", password = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : "admin";
        var lifetime = TimeSpan.FromSeconds(86400);
        bool watch = true;
        string prefix = "";
        bool ignoreMask = false;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            switch (a)
            {
                case "--airflow-version":
                    string v = Next();
                    version = v switch { "2" => 2, "3" => 3, _ => throw new ArgumentException("--airflow-version must be 2 or 3.") };
                    break;
                case "--user": user = Next(); break;
                case "--password": password = Next(); break;
                case "--token-lifetime-seconds":
                    lifetime = TimeSpan.FromSeconds(int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture));
                    break;
                case "--no-stdin-watch": watch = false; break;
                case "--path-prefix":
                    prefix = "/" + Next().Trim('/');
                    if (prefix == "/") prefix = "";
                    break;
                case "--bulk-update-ignores-mask": ignoreMask = true; break;
                case "--urls": i++; break; // ASP.NET's own option; it reads it from the command line itself.
                default:
                    if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)) break;
                    throw new ArgumentException($"Unknown argument '{a}'.");
            }
        }
        return new EmulatorSettings { AirflowVersion = version, UserName = user, Password = password, TokenLifetime = lifetime, WatchStdin = watch, PathPrefix = prefix, BulkUpdateIgnoresMask = ignoreMask };
    }
}
