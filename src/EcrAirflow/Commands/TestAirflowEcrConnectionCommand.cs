using System;
using System.Management.Automation;

namespace EcrAirflow.Commands
{
    /// <summary>
    /// Test-AirflowEcrConnection: reports what each target holds now for each connection id — nothing, something
    /// that is not a Docker connection, or a Docker connection and when its token expires — and, with -Login,
    /// whether the registry accepts the stored login. Reads through the mode's own read side (one request for many
    /// ids where the target allows), with the same mode parameters as Sync-AirflowEcrConnection. Its parameters;
    /// what it does is TestAirflowEcrConnectionBody's, in EcrAirflow.Core.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AirflowEcrConnection")]
    [OutputType(typeof(AirflowConnectionStatus), typeof(bool))]
    public sealed class TestAirflowEcrConnectionCommand : ModeCmdletBase
    {
        /// <summary>The ids to test; by property name too, so Sync-AirflowEcrConnection's results pipe straight in.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ConnId")]
        [ValidateNotNullOrEmpty]
        public string[] ConnectionId { get; set; } = Array.Empty<string>();

        /// <summary>The line between Fresh and ExpiringSoon.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan MinimumRemaining { get; set; } = TimeSpan.FromHours(1);

        /// <summary>Tries the stored login at the stored registry, as docker does.</summary>
        [Parameter]
        public SwitchParameter Login { get; set; }

        /// <summary>One $true or $false: every connection Fresh and every tested login Succeeded.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }
    }
}
