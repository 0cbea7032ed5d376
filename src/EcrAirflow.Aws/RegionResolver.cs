using System;
using Amazon.Runtime.CredentialManagement;
using EcrAirflow.Core.AwsApi;

namespace EcrAirflow.Aws
{
    /// <summary>Region as AWS tools find it: -Region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, then the caller's fallback.</summary>
    internal static class RegionResolver
    {
        public static (string Region, string Source) Resolve(string? region, string? profileName, string? profileLocation, string? fallbackRegion = null)
        {
            if (!string.IsNullOrEmpty(region))
            {
                return (Validate(region!, "-Region"), "-Region");
            }

            foreach (var name in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            {
                var value = Environment.GetEnvironmentVariable(name);
                if (!string.IsNullOrEmpty(value))
                {
                    return (Validate(value!.Trim(), name), name);
                }
            }

            var profile = !string.IsNullOrEmpty(profileName) ? profileName : Environment.GetEnvironmentVariable("AWS_PROFILE");
            if (string.IsNullOrEmpty(profile))
            {
                profile = "default";
            }

            try
            {
                var chain = string.IsNullOrEmpty(profileLocation) ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(profileLocation);
                if (chain.TryGetProfile(profile, out var p) && p.Region != null)
                {
                    return (Validate(p.Region.SystemName, $"profile '{profile}'"), $"profile '{profile}'");
                }
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                // An unreadable config file is not where the region comes from; fall through to the error.
            }

            if (!string.IsNullOrEmpty(fallbackRegion))
            {
                return (Validate(fallbackRegion!, "the piped credential"), "the piped credential's Region");
            }

            throw new EcrAirflowException(
                "NoRegion",
                FailureKind.InvalidArgument,
                "No AWS region was given or found.",
                "Give -Region (e.g. -Region eu-west-1), set AWS_REGION or AWS_DEFAULT_REGION, or set 'region' in the profile in ~/.aws/config.");
        }

        private static string Validate(string region, string source)
        {
            if (!AwsEndpoints.IsValidRegion(region))
            {
                throw new EcrAirflowException(
                    "InvalidRegion",
                    FailureKind.InvalidArgument,
                    $"'{region}' (from {source}) is not an AWS region name.",
                    "Use a region code such as eu-west-1, us-east-1 or cn-north-1; press Tab after -Region for the list.")
                { TargetObject = region };
            }

            return region;
        }
    }
}
