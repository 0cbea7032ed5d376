# The one helper file every Pester suite dot-sources (in its BeforeAll; not a test file itself):
# - the peers (tests/peers/Peers.ps1, which build.ps1 uses too: moto, the MWAA peer, the Airflow API
#   emulator, squid) and Invoke-ChildPwsh, a fresh PowerShell with an environment of its own;
# - test folders under the temp folder named ecrairflow-<tag>-*, removed only through Remove-TestFolder's guard;
# - fake ECR credentials as Sync-AirflowEcrConnection reads them (New-FakeCredential), ECR passwords in ECR's
#   format with the expiry a test needs (New-EcrPassword), test ids;
# - Invoke-Audited: runs a command with -Verbose -Debug -ErrorVariable under Start-Transcript, with the
#   console captured, and returns every place a secret could surface as text;
# - Get-SecretForms / Assert-NoSecret: a secret plain, percent-encoded (once and twice), JSON-escaped and
#   base64-encoded at each of the three byte alignments (so it is found inside base64("AWS:" + secret) or a
#   Basic authorization header too);
# - New-TcpPeer: a small TCP peer for the faults the emulator cannot make;
# - Read-ModuleManifest / Get-ManifestRootModule (build/Manifest.ps1, which build.ps1 uses too): the manifest as
#   Import-Module reads it (its RootModule is an if on $PSEdition, which Import-PowerShellDataFile refuses).
# Windows PowerShell 5.1 runs it too (the Windows CI leg): no PowerShell-7-only syntax.

. (Join-Path $PSScriptRoot '../peers/Peers.ps1')
. (Join-Path $PSScriptRoot '../../build/Manifest.ps1')

function New-TestFolder([string] $Tag) {
    $path = Join-Path ([IO.Path]::GetTempPath()) ("ecrairflow-$Tag-" + [guid]::NewGuid().ToString('n').Substring(0, 12))
    $null = New-Item -ItemType Directory -Path $path
    $path
}

# Deletes only a folder a suite made: under the temp folder and named ecrairflow-*. (A variable mix-up
# must never turn a cleanup into Remove-Item -Recurse on something else, e.g. $HOME.)
function Remove-TestFolder([string] $Path) {
    if (-not $Path) { return }
    $temp = [IO.Path]::GetFullPath([IO.Path]::GetTempPath())
    $full = [IO.Path]::GetFullPath($Path)
    if ($full.StartsWith($temp, [StringComparison]::Ordinal) -and (Split-Path $full -Leaf) -like 'ecrairflow-*' -and $full.Length -gt $temp.Length + 12) {
        if (-not $IsWindows -and (Test-Path -LiteralPath $full)) {
            # Tests make files read-only or unreadable; give them back so the removal works as non-root too.
            Get-ChildItem -LiteralPath $full -Recurse -Force -File -ErrorAction SilentlyContinue |
                ForEach-Object { try { $_.UnixFileMode = [IO.UnixFileMode]'UserRead, UserWrite' } catch { } }
        }
        Remove-Item -LiteralPath $full -Recurse -Force -ErrorAction SilentlyContinue
    }
    else { throw "Refusing to delete '$Path': not a test folder." }
}

function Assert-TeamSettingsKept {
    # What a refresh must keep of the Docker connection the Rest and Mwaa tests seed as a team set it up: port
    # 5000, schema v2, and an extra with reauth, email and timeout 30. -Stored is the connection as Airflow's API
    # returns it (extra as JSON text); -Email and -Reauth are what the extra must hold now.
    param([Parameter(Mandatory)] $Stored, [string] $Email = 'ops@example.com', [bool] $Reauth = $false)
    $Stored.port | Should -Be 5000
    $Stored.schema | Should -Be 'v2'
    $extra = $Stored.extra | ConvertFrom-Json
    $extra.reauth | Should -Be $Reauth
    $extra.email | Should -Be $Email
    $extra.timeout | Should -Be 30
}

# The names of the Cli mode's import files (ecrairflow-*.json) in the temp folder now, sorted: a test compares them
# before and after to see that none was left behind.
function Get-TempImportFiles { @(Get-ChildItem -LiteralPath ([IO.Path]::GetTempPath()) -Filter 'ecrairflow-*.json' -File -Force -ErrorAction SilentlyContinue | ForEach-Object Name | Sort-Object) }

# What Get-EcrDockerCredential outputs, as far as Sync-AirflowEcrConnection reads it: a token valid for 12 hours
# unless -ExpiresAt says otherwise, with the characters careless encoders break in the default one.
function New-FakeCredential {
    param(
        [string] $Token = 'tok+/=en',
        [string] $Account = '123456789012',
        [string] $Region = 'eu-west-1',
        [DateTimeOffset] $ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(12)
    )
    [pscustomobject]@{
        Registry  = "https://$Account.dkr.ecr.$Region.amazonaws.com"
        UserName  = 'AWS'
        Password  = (ConvertTo-SecureString $Token -AsPlainText -Force)
        ExpiresAt = $ExpiresAt
        Region    = $Region
    }
}

# An ECR password as ECR makes it: base64 of its JSON document, whose expiration (epoch seconds) says when the token
# expires (-ExpiresAt; in the past for an expired one). The payload is random, so two passwords differ within their
# first 72 bytes (all bcrypt, and so the registry peer, reads of a password).
function New-EcrPassword([DateTimeOffset] $ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(12)) {
    $payload = [byte[]]::new(1024)
    $random = [Security.Cryptography.RandomNumberGenerator]::Create()
    try { $random.GetBytes($payload) } finally { $random.Dispose() }
    $json = '{"payload":"' + [Convert]::ToBase64String($payload) + '","datakey":"ZGF0YWtleQ==","version":"2","type":"DATA_KEY","expiration":' + $ExpiresAt.ToUnixTimeSeconds() + '}'
    [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json))
}

# An AWS credential (-Credential) from a key the moto or MWAA peer issued: { accessKeyId, secretAccessKey }.
function New-AwsKeyCredential($Key, [string] $SecretAccessKey = $Key.secretAccessKey) {
    [pscredential]::new($Key.accessKeyId, (ConvertTo-SecureString $SecretAccessKey -AsPlainText -Force))
}

# A connection id of its own for one test: ecr_<tag>_<8 hex>.
function New-TestId([string] $Tag) { "ecr_${Tag}_" + [guid]::NewGuid().ToString('n').Substring(0, 8) }

function Get-SecretForms([string] $Secret) {
    $forms = [Collections.Generic.List[string]]::new()
    $forms.Add($Secret)
    $escaped = [uri]::EscapeDataString($Secret)
    $forms.Add($escaped)
    $forms.Add([uri]::EscapeDataString($escaped))
    $forms.Add(($Secret | ConvertTo-Json -Compress).Trim('"'))
    $bytes = [Text.Encoding]::UTF8.GetBytes($Secret)
    foreach ($shift in 0, 1, 2) {
        # base64 of the secret behind $shift other bytes: the characters that depend on the secret alone.
        $b64 = [Convert]::ToBase64String([byte[]](@(0) * $shift + $bytes))
        $start = [int][math]::Ceiling($shift * 4 / 3)
        $end = [int][math]::Floor(($shift + $bytes.Length) * 4 / 3) - 1
        if ($end - $start -ge 7) { $forms.Add($b64.Substring($start, $end - $start)) }
    }
    @($forms | Select-Object -Unique)
}

# The lines a CI system is meant to receive secrets on: GitHub's mask command, Azure's secret commands.
function Remove-SecretChannelLines([string] $Text) {
    if (-not $Text) { return '' }
    (($Text -split "`r?`n") | Where-Object {
        $_ -notmatch '^::add-mask::' -and $_ -notmatch '^##vso\[task\.setsecret\]' -and $_ -notmatch '^##vso\[task\.setvariable variable=[^;\]]+;issecret=true\]'
    }) -join "`n"
}

function Assert-NoSecret {
    param([string] $Text, [string[]] $Secrets, [string] $Where)
    if (-not $Text) { return }
    foreach ($secret in $Secrets) {
        foreach ($form in Get-SecretForms $secret) {
            $at = $Text.IndexOf($form, [StringComparison]::Ordinal)
            if ($at -ge 0) {
                $from = [math]::Max(0, $at - 60)
                $context = $Text.Substring($from, [math]::Min(160, $Text.Length - $from)).Replace($form, '<<SECRET>>')
                throw "A secret (form '$(if ($form -eq $secret) { 'plain' } else { 'encoded' })') appeared in $Where near: $context"
            }
        }
    }
}

# Everything a user can get at from one record: its default view, every property, the exception with
# its inner exceptions, ErrorDetails and the target object.
function ConvertTo-AuditText($Record) {
    if ($null -eq $Record) { return '' }
    $parts = [Collections.Generic.List[string]]::new()
    $parts.Add(($Record | Out-String -Width 400))
    if ($Record -is [System.Management.Automation.ErrorRecord]) {
        $parts.Add(($Record | Format-List * -Force | Out-String -Width 400))
        $parts.Add(($Record.CategoryInfo | Out-String -Width 400))
        if ($Record.ErrorDetails) { $parts.Add($Record.ErrorDetails.Message + "`n" + $Record.ErrorDetails.RecommendedAction) }
        if ($null -ne $Record.TargetObject) { $parts.Add(($Record.TargetObject | Out-String -Width 400)) }
        for ($e = $Record.Exception; $e; $e = $e.InnerException) {
            $parts.Add(($e | Format-List * -Force | Out-String -Width 400))
            $parts.Add($e.ToString())
        }
    }
    elseif ($Record -is [System.Management.Automation.InformationalRecord] -or $Record -is [System.Management.Automation.InformationRecord]) {
        $parts.Add(($Record | Format-List * -Force | Out-String -Width 400))
    }
    else {
        # Output objects, minus the one property that is meant to carry the value (-IncludeValue).
        $parts.Add(($Record | Select-Object * -ExcludeProperty Value | Format-List * -Force | Out-String -Width 400))
    }
    $parts -join "`n"
}

<#
    Runs $Script (dot-sourced, so it sees $Audit) and returns what it left everywhere:
      Records      - every record of all six streams (*>&1), in order
      Terminating  - the terminating ErrorRecord, if one was thrown
      Text         - all of that (and -ErrorVariable, the new $Error entries) as audit text
      Console      - what reached Console.Out / Console.Error (host output, CI commands)
      Transcript   - the Start-Transcript file of the run
    $Script calls the cmdlet with @Audit: -Verbose -Debug -ErrorVariable auditErrors -ErrorAction Continue.
#>
function Invoke-Audited([scriptblock] $Script) {
    $Audit = @{ Verbose = $true; Debug = $true; ErrorVariable = 'auditErrors'; ErrorAction = 'Continue'; WarningAction = 'Continue'; InformationAction = 'Continue' }
    $auditErrors = $null
    $errorCount = $global:Error.Count
    $transcript = Join-Path ([IO.Path]::GetTempPath()) ("ecrairflow-transcript-" + [guid]::NewGuid().ToString('n') + '.txt')
    $out = [IO.StringWriter]::new()
    $err = [IO.StringWriter]::new()
    $originalOut = [Console]::Out
    $originalErr = [Console]::Error
    $records = @()
    $terminating = $null
    # Transcript first, console capture inside it: the host picks its writer when a transcript starts.
    $null = Start-Transcript -LiteralPath $transcript
    try {
        [Console]::SetOut($out)
        [Console]::SetError($err)
        try {
            try { $records = @(. $Script *>&1) }
            catch { $terminating = $_ }
            # Shown on the host as well, so the transcript holds the formatted views a user would see; the
            # console itself goes to a sink then, so a passing test prints nothing on the test run's console.
            $shown = [IO.StringWriter]::new()
            [Console]::SetOut($shown)
            [Console]::SetError($shown)
            $records | Out-Host
            if ($terminating) { $terminating | Out-Host }
        }
        finally {
            [Console]::SetOut($originalOut)
            [Console]::SetError($originalErr)
        }
    }
    finally { $null = Stop-Transcript }
    $transcriptText = Get-Content -LiteralPath $transcript -Raw
    Remove-Item -LiteralPath $transcript -Force
    $newErrors = @($global:Error | Select-Object -First ($global:Error.Count - $errorCount))
    $text = [Text.StringBuilder]::new()
    foreach ($r in $records) { $null = $text.AppendLine((ConvertTo-AuditText $r)) }
    if ($terminating) { $null = $text.AppendLine((ConvertTo-AuditText $terminating)) }
    foreach ($r in @($auditErrors)) { $null = $text.AppendLine((ConvertTo-AuditText $r)) }
    foreach ($r in $newErrors) { $null = $text.AppendLine((ConvertTo-AuditText $r)) }
    [pscustomobject]@{
        Records     = $records
        Output      = @($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] -and $_ -isnot [System.Management.Automation.InformationRecord] })
        Errors      = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) + @($terminating | Where-Object { $_ })
        Terminating = $terminating
        ErrorVariable = @($auditErrors)
        Text        = $text.ToString()
        Console     = $out.ToString() + $err.ToString()
        Transcript  = $transcriptText
    }
}

# A temp folder of the suite's own, for the suites that audit "the temp folder": every process on the machine
# writes to the shared one (/tmp) at any time, another test run's ecrairflow-*.json files included, so a
# comparison there fails for what others did. TMPDIR (Unix) and TMP/TEMP (Windows) point at a new test folder,
# mode 0700 as mktemp -d makes, until Exit-PrivateTemp: [IO.Path]::GetTempPath() reads them on every call, in
# this process (the module's Path.GetTempPath(): the Cli import file) and in every child it starts. Returns
# { Path; Shared (the temp folder before); Saved }. Call it after New-TestFolder's other folders are made or
# not: they are made under whichever temp folder is current, and Remove-TestFolder takes either.
function Enter-PrivateTemp([string] $Tag = 'tmp') {
    $shared = [IO.Path]::GetTempPath()
    $path = New-TestFolder $Tag
    if (-not $IsWindows) { [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute') }
    $saved = @{}
    foreach ($name in 'TMPDIR', 'TMP', 'TEMP') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        Set-TestEnv $name $path
    }
    [pscustomobject]@{ Path = $path; Shared = $shared; Saved = $saved }
}

# Points the temp variables back where they were and removes the suite's own temp folder.
function Exit-PrivateTemp($State) {
    if (-not $State) { return }
    foreach ($name in $State.Saved.Keys) { Set-TestEnv $name $State.Saved[$name] }
    Remove-TestFolder $State.Path
}

# Files directly in the temp folder (-Path: another folder) (name, size, time), to compare before and after a run.
function Get-TempSnapshot([string] $Path = [IO.Path]::GetTempPath()) {
    $snapshot = @{}
    foreach ($f in Get-ChildItem -LiteralPath $Path -File -Force -ErrorAction SilentlyContinue) {
        $snapshot[$f.FullName] = '{0}|{1}' -f $f.Length, $f.LastWriteTimeUtc.Ticks
    }
    $snapshot
}

# The content of every file in the temp folder (-Path: another folder) that appeared or changed since $Before
# (small ones only).
function Get-TempChanges([hashtable] $Before, [string] $Path = [IO.Path]::GetTempPath()) {
    $after = Get-TempSnapshot $Path
    foreach ($name in $after.Keys) {
        if ($Before[$name] -ne $after[$name]) {
            $item = Get-Item -LiteralPath $name -Force -ErrorAction SilentlyContinue
            # Length 0 covers FIFOs and sockets (other processes' diagnostics pipes), which a read would block on.
            if ($item -and $item.Length -gt 0 -and $item.Length -lt 1MB) {
                [pscustomobject]@{ Path = $name; Text = (Get-Content -LiteralPath $name -Raw -ErrorAction SilentlyContinue) }
            }
            else { [pscustomobject]@{ Path = $name; Text = '' } }
        }
    }
}

# The formatted views a user sees of an error: no .NET stack frames, no exception type dumps.
function Get-ErrorViews([System.Management.Automation.ErrorRecord] $Record) {
    $saved = $global:ErrorView
    try {
        foreach ($view in 'NormalView', 'ConciseView', 'CategoryView') {
            $global:ErrorView = $view
            $Record | Out-String -Width 400
        }
    }
    finally { $global:ErrorView = $saved }
}

# ---- A small TCP peer on 127.0.0.1 for faults the emulator cannot make (written here, used by the suites) ----
# Modes, per request (one request per connection; every answer says Connection: close):
#   Canned      answer with the Response bytes as they are (e.g. malformed JSON, an AWS error)
#   Reset       read the request, then reset the connection without answering
#   Proxy       forward to 127.0.0.1:UpstreamPort and relay the whole answer
#   ProxyReset  forward, then relay only the first half of the answer and reset the connection
#   Flood       answer 200 with FloodBytes of body ('a' repeated; FloodGzip: gzip-encoded, so a small
#               transfer decompresses to FloodBytes); BytesSent counts what was written before the client closed
# FaultTimes (default: always) limits Canned/Reset/ProxyReset to the first N requests; later ones are proxied.
# Match (default: every request) makes only requests whose head or body holds that text faultable (e.g. one AWS
# operation's X-Amz-Target): the others are proxied and not counted against FaultTimes.
# Compiled on first use (once per process): most suites never make one.
function Initialize-TcpPeer {
    if ('EcrAirflowTest.TcpPeer' -as [type]) { return }
    Add-Type -TypeDefinition @'
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EcrAirflowTest
{
    public sealed class TcpPeer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private int _requests;
        private int _matched;

        public TcpPeer(string mode) { Mode = mode; FaultTimes = int.MaxValue; _listener.Start(); Task.Run(AcceptLoop); }

        public string Mode { get; set; }
        public byte[] Response { get; set; } = new byte[0];
        public int UpstreamPort { get; set; }
        public int FaultTimes { get; set; }
        public string Match { get; set; }
        public int Requests { get { return Volatile.Read(ref _requests); } }
        public long FloodBytes { get; set; }
        public bool FloodGzip { get; set; }
        private long _sent;
        public long BytesSent { get { return Interlocked.Read(ref _sent); } }
        public int Port { get { return ((IPEndPoint)_listener.LocalEndpoint).Port; } }
        public string Url { get { return "http://127.0.0.1:" + Port; } }

        public void Dispose() { try { _listener.Stop(); } catch { } }

        private async Task AcceptLoop()
        {
            while (true)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); } catch { return; }
                var _ = Task.Run(() => Handle(client));
            }
        }

        private void Handle(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var request = ReadRequest(stream);
                    if (request == null) return;
                    Interlocked.Increment(ref _requests);
                    var faultable = string.IsNullOrEmpty(Match) || Encoding.UTF8.GetString(request).IndexOf(Match, StringComparison.Ordinal) >= 0;
                    var mode = faultable && Interlocked.Increment(ref _matched) <= FaultTimes ? Mode : "Proxy";
                    if (mode == "Canned") { stream.Write(Response, 0, Response.Length); client.Client.Shutdown(SocketShutdown.Send); return; }
                    if (mode == "Reset") { Reset(client); return; }
                    if (mode == "Flood") { Flood(stream); client.Client.Shutdown(SocketShutdown.Send); return; }
                    var answer = Forward(request);
                    if (mode == "ProxyReset")
                    {
                        stream.Write(answer, 0, answer.Length / 2);
                        stream.Flush();
                        Thread.Sleep(50);
                        Reset(client);
                        return;
                    }
                    stream.Write(answer, 0, answer.Length);
                    client.Client.Shutdown(SocketShutdown.Send);
                }
                catch (IOException) { }
                catch (SocketException) { }
            }
        }

        private void Flood(NetworkStream stream)
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < chunk.Length; i++) chunk[i] = (byte)'a';
            byte[] body = null;
            if (FloodGzip)
            {
                var packed = new MemoryStream();
                using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal, true))
                {
                    for (long left = FloodBytes; left > 0; left -= chunk.Length) gzip.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
                }
                body = packed.ToArray();
            }
            var head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + (FloodGzip ? "Content-Encoding: gzip\r\n" : "") +
                "Content-Length: " + (FloodGzip ? body.Length : FloodBytes) + "\r\nConnection: close\r\n\r\n";
            var headBytes = Encoding.ASCII.GetBytes(head);
            stream.Write(headBytes, 0, headBytes.Length);
            if (FloodGzip) { stream.Write(body, 0, body.Length); Interlocked.Add(ref _sent, body.Length); return; }
            for (long left = FloodBytes; left > 0; left -= chunk.Length)
            {
                var n = (int)Math.Min(chunk.Length, left);
                stream.Write(chunk, 0, n);
                Interlocked.Add(ref _sent, n);
            }
        }

        private static void Reset(TcpClient client) { client.LingerState = new LingerOption(true, 0); client.Client.Close(); }

        private byte[] Forward(byte[] request)
        {
            var text = Encoding.ASCII.GetString(request);
            var firstLine = text.IndexOf("\r\n", StringComparison.Ordinal);
            var patched = Encoding.ASCII.GetBytes(text.Substring(0, firstLine) + "\r\nConnection: close");
            using (var upstream = new TcpClient())
            {
                upstream.Connect(IPAddress.Loopback, UpstreamPort);
                var s = upstream.GetStream();
                s.Write(patched, 0, patched.Length);
                s.Write(request, firstLine, request.Length - firstLine);
                var all = new MemoryStream();
                s.CopyTo(all);
                return all.ToArray();
            }
        }

        // The request head and as many body bytes as Content-Length says (the clients we test never chunk).
        private static byte[] ReadRequest(NetworkStream stream)
        {
            var buffer = new MemoryStream();
            var one = new byte[4096];
            int headEnd = -1, length = 0;
            while (true)
            {
                var read = stream.Read(one, 0, one.Length);
                if (read <= 0) return buffer.Length > 0 ? buffer.ToArray() : null;
                buffer.Write(one, 0, read);
                var text = Encoding.ASCII.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                if (headEnd < 0)
                {
                    headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (headEnd < 0) continue;
                    foreach (var line in text.Substring(0, headEnd).Split(new[] { "\r\n" }, StringSplitOptions.None))
                    {
                        if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line.Substring(15).Trim());
                    }
                }
                if (buffer.Length >= headEnd + 4 + length) return buffer.ToArray();
            }
        }
    }
}
'@
}

function New-TcpPeer {
    param([ValidateSet('Canned', 'Reset', 'Proxy', 'ProxyReset', 'Flood')] [string] $Mode, [string] $Response, [int] $UpstreamPort, [int] $FaultTimes = [int]::MaxValue,
        [long] $FloodBytes, [switch] $FloodGzip, [string] $Match)
    Initialize-TcpPeer
    $peer = [EcrAirflowTest.TcpPeer]::new($Mode)
    if ($Response) { $peer.Response = [Text.Encoding]::UTF8.GetBytes($Response) }
    $peer.UpstreamPort = $UpstreamPort
    $peer.FaultTimes = $FaultTimes
    if ($Match) { $peer.Match = $Match }
    $peer.FloodBytes = $FloodBytes
    $peer.FloodGzip = $FloodGzip.IsPresent
    $peer
}

# A raw HTTP/1.1 answer for the Canned mode.
function New-HttpAnswer([int] $Status, [string] $Reason, [string] $Body, [string] $ContentType = 'application/json', [hashtable] $Headers = @{}) {
    $bytes = [Text.Encoding]::UTF8.GetByteCount($Body)
    $extra = ($Headers.GetEnumerator() | ForEach-Object { "$($_.Key): $($_.Value)`r`n" }) -join ''
    "HTTP/1.1 $Status $Reason`r`nContent-Type: $ContentType`r`nContent-Length: $bytes`r`n$extra" + "Connection: close`r`n`r`n$Body"
}

# Sets or removes a process variable. ([Environment]::SetEnvironmentVariable($n, $null) from PowerShell
# passes "" and leaves an empty variable behind, which e.g. the stand-in CLI reads as a version.)
function Set-TestEnv([string] $Name, $Value) {
    if ($null -eq $Value) { Remove-Item -LiteralPath "Env:$Name" -ErrorAction SilentlyContinue }
    else { Set-Item -LiteralPath "Env:$Name" -Value $Value }
}
