using System;
using Xunit;
using EcrAirflow.Core.AwsApi;

namespace EcrAirflow.Tests
{
    /// <summary>
    /// AWS error replies: reading the code, and the ids STS failures get.
    /// </summary>
    public sealed class AwsErrorsTests
    {
        [Theory]
        [InlineData("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError")]
        [InlineData("FooError", "FooError")]
        [InlineData("com.amazonaws#FooError", "FooError")]
        public void Error_type_is_cleaned(string raw, string expected)
        {
            Assert.Equal(expected, AwsErrors.CleanCode(raw));
        }

        [Theory]
        [InlineData("AccessDenied", "AssumeRoleAccessDenied", FailureKind.PermissionDenied)]
        [InlineData("InvalidClientTokenId", "AwsUnrecognizedClient", FailureKind.SecurityError)]
        [InlineData("SignatureDoesNotMatch", "AwsInvalidSignature", FailureKind.SecurityError)]
        [InlineData("ExpiredToken", "AwsExpiredCredentials", FailureKind.SecurityError)]
        [InlineData("RegionDisabledException", "AssumeRoleFailed", FailureKind.NotSpecified)]
        [InlineData(null, "AssumeRoleFailed", FailureKind.NotSpecified)]
        public void STS_refusals_get_ids_of_their_own(string? code, string id, FailureKind kind)
        {
            var inner = new InvalidOperationException("from the SDK");
            var ex = AwsErrors.Sts(code, "assuming role arn:aws:iam::123456789012:role/x", "User is not authorized", "req-9", inner);
            Assert.Equal(id, ex.ErrorId);
            Assert.Equal(kind, ex.Kind);
            Assert.Equal($"STS refused assuming role arn:aws:iam::123456789012:role/x: {code}: User is not authorized", ex.Message);
            Assert.Equal("req-9", ex.RequestId);
            Assert.False(string.IsNullOrEmpty(ex.Hint));
        }
    }
}
