using System;
using Xunit;
using EcrAirflow.Core.Internal;

namespace EcrAirflow.Tests
{
    public sealed class JsonTextTests
    {
        [Fact]
        public void Wipes_its_buffer_once_the_bytes_are_made()
        {
            var json = new JsonText().StartObject().Member("password", "wipe-me-secret").EndObject();
            var bytes = json.ToUtf8();
            Assert.Contains("wipe-me-secret", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.DoesNotContain("wipe-me-secret", json.ToString(), StringComparison.Ordinal);
        }
    }
}
