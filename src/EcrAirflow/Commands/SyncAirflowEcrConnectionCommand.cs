using System;
using System.Management.Automation;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// Sync-AirflowEcrConnection: writes one Airflow Docker connection per piped ECR credential, wherever -Mode
    /// says. Its parameters; the mode's parameters come from its folder (<see cref="ModeCmdletBase"/>), and what it
    /// does is SyncAirflowEcrConnectionBody's, in EcrAirflow.Core.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "AirflowEcrConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AirflowConnectionSyncResult))]
    public sealed class SyncAirflowEcrConnectionCommand : ModeCmdletBase
    {
        // ---- pipeline input (binds from EcrDockerCredential and from Get-ECRLoginCommand's output) ----

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ProxyEndpoint", "Endpoint")]
        [ValidateNotNullOrEmpty]
        public string Registry { get; set; } = "";

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Login")]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; } = "";

        /// <summary>SecureString or string; anything else is refused.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public object Password { get; set; } = null!;

        /// <summary>Any form an expiry arrives in (ExpiryInput): a time, a deserialized one, ISO text, epoch seconds or ms.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? ExpiresAt { get; set; }

        /// <summary>Mandatory; by property name too, which is what makes -ConnectionId { ... } delay binding work.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ConnId")]
        [ValidateNotNullOrEmpty]
        public string ConnectionId { get; set; } = "";

        // ---- what goes into the connection, and the switch every mode takes ----

        [Parameter]
        public string? Description { get; set; }

        [Parameter]
        public string? Email { get; set; }

        [Parameter]
        public SwitchParameter Reauth { get; set; }

        /// <summary>Writes a credential even when its ExpiresAt has passed.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Replaces a value at the name that is not a Docker connection (without it, that is an error).</summary>
        [Parameter]
        public SwitchParameter ReplaceNonDocker { get; set; }

        /// <summary>Writes only the connections whose stored token is not for this registry and login, or expires sooner than this.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan? SkipIfValidFor { get; set; }
    }
}
