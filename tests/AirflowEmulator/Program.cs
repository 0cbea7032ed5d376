using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AirflowEmulator;
using AirflowEmulator.Airflow2;
using AirflowEmulator.Airflow3;
using AirflowEmulator.Auth;
using AirflowEmulator.Control;
using AirflowEmulator.Http;
using AirflowEmulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

EmulatorSettings settings;
try
{
    settings = EmulatorSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync($"AirflowEmulator: {e.Message}").ConfigureAwait(false);
    await Console.Error.WriteLineAsync(
        "usage: AirflowEmulator --urls http://127.0.0.1:0 --airflow-version 2|3 [--user NAME] [--password PASS (or AIRFLOW_EMULATOR_PASSWORD)] " +
        "[--token-lifetime-seconds N] [--path-prefix /airflow] [--bulk-update-ignores-mask] [--no-stdin-watch]").ConfigureAwait(false);
    return 2;
}

WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
// Only stdout line is ours (EMULATOR_LISTENING); ASP.NET's own logging goes to stderr, warnings and up.
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

var store = new ConnectionStore();
var log = new RequestLog();
var faults = new FaultInjector();
var tokens = new JwtTokens(settings.TokenLifetime, TimeProvider.System);
IAirflowApi api = settings.AirflowVersion == 2 ? new V1Api(settings, store) : new V2Api(settings, store, tokens);
var pipeline = new AirflowPipeline(settings, api, log, faults);

WebApplication app = builder.Build();
app.Use((ctx, next) => pipeline.Invoke(ctx, () => next(ctx)));
ControlApi.Map(app, settings, store, log, faults, tokens);

await app.StartAsync().ConfigureAwait(false);

string? address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
if (address is null)
{
    await Console.Error.WriteLineAsync("AirflowEmulator: no listening address (pass --urls).").ConfigureAwait(false);
    await app.StopAsync().ConfigureAwait(false);
    return 1;
}
Console.Out.WriteLine($"EMULATOR_LISTENING {address}");
Console.Out.Flush();

IHostApplicationLifetime lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
if (settings.WatchStdin)
{
    // Tests hold a pipe to our stdin: when they close it (or die), we stop.
    var watcher = new Thread(() =>
    {
        try
        {
            using Stream stdin = Console.OpenStandardInput();
            byte[] buffer = new byte[256];
            while (stdin.Read(buffer, 0, buffer.Length) > 0) { }
        }
        catch (IOException) { }
        lifetime.StopApplication();
    })
    { IsBackground = true, Name = "stdin-watch" };
    watcher.Start();
}

await app.WaitForShutdownAsync().ConfigureAwait(false);
return 0;
