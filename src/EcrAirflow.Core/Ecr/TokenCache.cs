using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using EcrAirflow.Core.AwsApi;

namespace EcrAirflow.Core.Ecr
{
    /// <summary>
    /// Per-session cache of ECR tokens. A token is reused until half its lifetime has passed (the rule of
    /// amazon-ecr-credential-helper), so a scheduled refresh never hands Airflow a nearly expired token.
    /// Keyed by endpoint, region, registry ids and a keyed hash of the identity (never the keys themselves).
    /// </summary>
    internal static class TokenCache
    {
        private static readonly ConcurrentDictionary<string, Entry> Entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);

        /// <summary>The clock; tests replace it.</summary>
        internal static Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

        /// <param name="identityKey">A keyed hash of the access key id, secret key and session token the token was
        /// obtained with (<see cref="IAwsSession.IdentityKeyAsync"/>): a later call with the right key id but a
        /// wrong (or no longer valid) secret is not answered from the cache.</param>
        public static string Key(AwsEndpoint endpoint, IReadOnlyList<string>? registryIds, string identityKey)
        {
            var ids = registryIds == null ? string.Empty : string.Join(",", registryIds.OrderBy(x => x, StringComparer.Ordinal));
            return $"{endpoint.Url}|{endpoint.SigningRegion}|{endpoint.Service.SigningName}|{ids}|{identityKey}";
        }

        public static bool TryGet(string key, out IReadOnlyList<EcrAuthorization> authorizations)
        {
            if (Entries.TryGetValue(key, out var entry) && IsFresh(entry.ObtainedAt, entry.ExpiresAt, Now()))
            {
                authorizations = entry.Authorizations;
                return true;
            }

            authorizations = Array.Empty<EcrAuthorization>();
            return false;
        }

        public static void Put(string key, IReadOnlyList<EcrAuthorization> authorizations)
        {
            if (authorizations.Count == 0)
            {
                return;
            }

            var now = Now();
            var expiresAt = authorizations.Min(a => a.ExpiresAt);
            if (!IsFresh(now, expiresAt, now))
            {
                Entries.TryRemove(key, out _); // already past half-life (e.g. an emulator's fixed 2015 expiry): never cache
                return;
            }

            Entries[key] = new Entry(authorizations, now, expiresAt);
        }

        public static void Clear() => Entries.Clear();

        /// <summary>Fresh while less than half of the lifetime [obtained, expires] has passed.</summary>
        internal static bool IsFresh(DateTimeOffset obtainedAt, DateTimeOffset expiresAt, DateTimeOffset now)
        {
            var lifetime = expiresAt - obtainedAt;
            if (lifetime <= TimeSpan.Zero)
            {
                return false;
            }

            return now < obtainedAt + TimeSpan.FromTicks(lifetime.Ticks / 2);
        }

        private sealed class Entry
        {
            public Entry(IReadOnlyList<EcrAuthorization> authorizations, DateTimeOffset obtainedAt, DateTimeOffset expiresAt)
            {
                Authorizations = authorizations;
                ObtainedAt = obtainedAt;
                ExpiresAt = expiresAt;
            }

            public IReadOnlyList<EcrAuthorization> Authorizations { get; }

            public DateTimeOffset ObtainedAt { get; }

            public DateTimeOffset ExpiresAt { get; }
        }
    }
}
