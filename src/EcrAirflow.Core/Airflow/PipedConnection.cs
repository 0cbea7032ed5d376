using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using EcrAirflow.Core.Internal.Secrets;

namespace EcrAirflow.Core.Airflow
{
    /// <summary>One record as it came through the pipeline (from Get-EcrDockerCredential or any object like it).</summary>
    internal sealed class PipedRecord
    {
        public string ConnectionId { get; init; } = "";

        public string Registry { get; init; } = "";

        public string UserName { get; init; } = "";

        /// <summary>SecureString or string; anything else is refused.</summary>
        public object? Password { get; init; }

        /// <summary>Whatever form ExpiresAt arrived in (<see cref="ExpiryInput"/>).</summary>
        public object? ExpiresAt { get; init; }

        /// <summary>The record's AWS region (the AWS-backed modes' last fallback); null when -Region was typed.</summary>
        public string? Region { get; init; }

        public string? Description { get; init; }

        public string? Email { get; init; }

        public bool? Reauth { get; init; }

        /// <summary>-ReplaceNonDocker.</summary>
        public bool ReplaceNonDocker { get; init; }
    }

    /// <summary>
    /// Turns piped records into <see cref="DockerConnection"/>s, checking each at the edge before any target sees
    /// it: the id, the login, the registry, one registry per id, the expiry (an expired token never replaces a
    /// working connection unless -Force), and the password. A refusal is that record's error; the rest go on.
    /// </summary>
    internal sealed class PipedConnection
    {
        /// <summary>A token that expires sooner than this still works, but the user should know.</summary>
        internal static readonly TimeSpan ExpiryWarning = TimeSpan.FromMinutes(30);

        private readonly HashSet<string> _seenIds = new HashSet<string>(StringComparer.Ordinal);
        private readonly bool _force;
        private readonly Action<string> _warn;

        /// <param name="force">-Force: write an expired token anyway (with a warning).</param>
        /// <param name="warn">Where warnings go (an expiry soon, an expired token written on purpose).</param>
        public PipedConnection(bool force, Action<string> warn)
        {
            _force = force;
            _warn = warn;
        }

        /// <summary>The connection to write; throws the record's error (<see cref="InputErrors"/>).</summary>
        public DockerConnection Read(PipedRecord record)
        {
            var id = record.ConnectionId;
            if (!ConnectionInput.IsValidConnectionId(id))
            {
                throw InputErrors.InvalidConnectionId(id);
            }

            if (!ConnectionInput.IsValidLogin(record.UserName))
            {
                throw InputErrors.InvalidUserName(record.UserName, id);
            }

            var host = ConnectionInput.RegistryHost(record.Registry) ?? throw InputErrors.InvalidRegistry(record.Registry, id);
            if (!_seenIds.Add(id))
            {
                throw InputErrors.DuplicateConnectionId(id, host);
            }

            var expiresAt = ExpiryInput.Read(record.ExpiresAt, host);
            if (expiresAt.HasValue)
            {
                CheckExpiry(id, host, expiresAt.Value);
            }

            return new DockerConnection(id, host, record.UserName, ReadPassword(record.Password, host))
            {
                Region = record.Region,
                ExpiresAt = expiresAt,
                Email = record.Email,
                Reauth = record.Reauth,
                Description = ExpiryNote.Compose(null, record.Description, expiresAt),
                GivenDescription = record.Description,
                ReplaceNonDocker = record.ReplaceNonDocker,
            };
        }

        /// <summary>An expired token would replace a working connection with one that cannot log in: refused unless -Force.</summary>
        private void CheckExpiry(string id, string host, DateTimeOffset expiresAt)
        {
            var left = expiresAt - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                if (!_force)
                {
                    throw InputErrors.CredentialExpired(id, host, expiresAt);
                }

                _warn($"The token for {host} expired at {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; writing connection '{id}' anyway (-Force).");
            }
            else if (left < ExpiryWarning)
            {
                _warn($"The token for {host} expires in {Math.Max(1, (int)left.TotalMinutes)} minute(s) ({expiresAt.UtcDateTime:HH:mm:ss} UTC); refresh it soon with Get-EcrDockerCredential -Force.");
            }
        }

        private static SecureString ReadPassword(object? password, string host)
        {
            var value = password is PSObject wrapped ? wrapped.BaseObject : password;
            SecureString? secure = value switch
            {
                SecureString s when s.Length > 0 => s,
                string plain when plain.Length > 0 => SecureText.ToSecure(plain),
                _ => null,
            };
            var hasNul = secure != null && SecureText.ContainsNul(secure);
            if (secure == null || hasNul)
            {
                throw InputErrors.InvalidPassword(host, hasNul);
            }

            return secure;
        }
    }
}
