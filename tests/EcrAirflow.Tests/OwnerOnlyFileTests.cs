using System;
using System.Security.AccessControl;
using Xunit;
using EcrAirflow.Core.Internal.Files;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// The owner-only ACL of a secret file on Windows (the Cli import file), as a descriptor, on any system.
    /// </summary>
    public sealed class OwnerOnlyFileTests
    {
        private const string Sid = "S-1-5-21-1004336348-1177238915-682003330-1001";

        [Fact]
        public void The_secret_file_descriptor_allows_only_its_owner_full_control_and_inherits_nothing()
        {
            var d = OwnerOnlyDescriptor.For(Sid);

            Assert.Equal(Sid, d.OwnerSid);
            Assert.True(d.DaclProtected, "the DACL must be protected, or the folder's entries (Users, Administrators...) are inherited");
            var entry = Assert.Single(d.Allow);
            Assert.Equal(Sid, entry.Sid);
#pragma warning disable CA1416 // an enum constant, the same number on every platform
            Assert.Equal((int)FileSystemRights.FullControl, entry.AccessMask);
#pragma warning restore CA1416
            // O: owner; D:P protected DACL; (A;;FA;;;sid): allow, no inheritance flags, file all access, to sid.
            Assert.Equal($"O:{Sid}D:P(A;;FA;;;{Sid})", d.ToSddl());
        }

        [OnlyOnFact(OnWindows = true, Why = "RawSecurityDescriptor throws PlatformNotSupportedException elsewhere; the test above pins the string")]
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        public void The_SDDL_says_what_the_descriptor_says_where_Windows_can_parse_it()
        {
            var raw = new RawSecurityDescriptor(OwnerOnlyDescriptor.For(Sid).ToSddl());
            Assert.Equal(Sid, raw.Owner!.Value);
            Assert.True(raw.ControlFlags.HasFlag(ControlFlags.DiscretionaryAclProtected));
            var ace = Assert.IsType<CommonAce>(Assert.Single(raw.DiscretionaryAcl!));
            Assert.Equal(AceQualifier.AccessAllowed, ace.AceQualifier);
            Assert.Equal(AceFlags.None, ace.AceFlags);
            Assert.Equal((int)FileSystemRights.FullControl, ace.AccessMask);
            Assert.Equal(Sid, ace.SecurityIdentifier.Value);
        }

        [Theory]
        [InlineData("")]
        [InlineData("WD")] // Everyone, as an SDDL alias
        [InlineData("S-1-5-21-1)(A;;FA;;;WD")]
        [InlineData("S-1")]
        public void Anything_but_a_SID_string_is_refused_rather_than_spliced_into_the_SDDL(string sid)
        {
            Assert.Throws<ArgumentException>(() => OwnerOnlyDescriptor.For(sid));
        }

        [Fact]
        public void The_netstandard_build_says_the_file_inherits_its_folders_ACL_and_the_net8_build_needs_no_note()
        {
            var note = (string?)NetStandardBuild.Type("EcrAirflow.Core.Internal.Files.OwnerOnlyFile").GetProperty("ProtectionNote")!.GetValue(null);
            Assert.NotNull(note);
            Assert.Contains("cannot set an owner-only ACL", note);
            Assert.Contains("inherits the permissions of its folder", note);
            Assert.Null(OwnerOnlyFile.ProtectionNote);
        }

        // ---- -Scope User / Machine -----------------------------------------------------------------
    }
}
