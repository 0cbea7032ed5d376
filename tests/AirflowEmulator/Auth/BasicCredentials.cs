using System;
using System.Security.Cryptography;
using System.Text;

namespace AirflowEmulator.Auth;

/// <summary>HTTP Basic parsing as werkzeug does it (split on the first colon) and a constant-time check.</summary>
internal static class BasicCredentials
{
    /// <summary>"Basic", "Bearer", the scheme as sent, or null: what the request log records.</summary>
    public static string? Scheme(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization)) return null;
        string scheme = authorization.Trim().Split(' ', 2)[0];
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)) return "Basic";
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return "Bearer";
        return scheme;
    }

    public static bool TryParse(string? authorization, out string user, out string password)
    {
        user = password = "";
        if (authorization is null) return false;
        string[] parts = authorization.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !parts[0].Equals("Basic", StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1].Trim())); }
        catch (FormatException) { return false; }
        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return false;
        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    public static bool Matches(string user, string password, string expectedUser, string expectedPassword) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(expectedUser)) &
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(expectedPassword));

    /// <summary>The bearer token of an Authorization header, or null.</summary>
    public static string? BearerToken(string? authorization)
    {
        if (authorization is null) return null;
        string[] parts = authorization.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return null;
        return parts[1].Trim();
    }
}
