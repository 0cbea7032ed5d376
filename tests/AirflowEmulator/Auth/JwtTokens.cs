using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AirflowEmulator.Auth;

internal enum TokenCheck
{
    Valid,
    Invalid,
    Expired,
}

/// <summary>
/// Issues and checks HS256 JWTs the way Airflow 3's auth manager does for the public API: a per-process
/// signing key, sub/aud/iat/nbf/exp/jti claims. The control API can revoke every token issued so far.
/// </summary>
internal sealed class JwtTokens
{
    private const string Audience = "apache-airflow";
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(64);
    private readonly ConcurrentDictionary<string, byte> _live = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public JwtTokens(TimeSpan lifetime, TimeProvider clock)
    {
        _lifetime = lifetime;
        _clock = clock;
    }

    public string Issue(string subject)
    {
        long now = _clock.GetUtcNow().ToUnixTimeSeconds();
        string jti = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["sub"] = subject,
            ["role"] = "Admin",
            ["aud"] = Audience,
            ["iss"] = "airflow-emulator",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)_lifetime.TotalSeconds,
            ["jti"] = jti,
        };
        string signingInput = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        string token = signingInput + "." + B64(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput)));
        _live[jti] = 0;
        return token;
    }

    /// <summary>Every token issued so far stops being accepted (as if the server restarted with a new key).</summary>
    public void RevokeAll() => _live.Clear();

    public TokenCheck Check(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3) return TokenCheck.Invalid;
        byte[] expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        byte[]? signature = UnB64(parts[2]);
        if (signature is null || !CryptographicOperations.FixedTimeEquals(expected, signature)) return TokenCheck.Invalid;
        byte[]? payloadBytes = UnB64(parts[1]);
        if (payloadBytes is null) return TokenCheck.Invalid;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(payloadBytes);
            JsonElement p = doc.RootElement;
            if (!p.TryGetProperty("jti", out JsonElement jti) || jti.ValueKind != JsonValueKind.String) return TokenCheck.Invalid;
            if (!p.TryGetProperty("exp", out JsonElement exp) || !exp.TryGetInt64(out long expSeconds)) return TokenCheck.Invalid;
            if (!p.TryGetProperty("aud", out JsonElement aud) || aud.GetString() != Audience) return TokenCheck.Invalid;
            // PyJWT checks the expiry before anything Airflow adds (revocation), so an old token reads as expired.
            if (_clock.GetUtcNow().ToUnixTimeSeconds() >= expSeconds) return TokenCheck.Expired;
            return _live.ContainsKey(jti.GetString()!) ? TokenCheck.Valid : TokenCheck.Invalid;
        }
        catch (JsonException)
        {
            return TokenCheck.Invalid;
        }
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? UnB64(string s)
    {
        string t = s.Replace('-', '+').Replace('_', '/');
        switch (t.Length % 4)
        {
            case 2: t += "=="; break;
            case 3: t += "="; break;
            case 1: return null;
        }
        try { return Convert.FromBase64String(t); }
        catch (FormatException) { return null; }
    }
}
