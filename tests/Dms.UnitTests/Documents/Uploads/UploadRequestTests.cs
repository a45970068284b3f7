using Dms.Common;
using Dms.Documents;
using Dms.Documents.Uploads;

namespace Dms.UnitTests.Documents.Uploads;

public sealed class UploadRequestTests
{
    private static readonly DocumentOptions Limits = new() { MaxSizeBytes = 1000 };

    [Theory]
    [InlineData("report.pdf", "application/pdf", 10L, null, null)]
    [InlineData("", "application/pdf", 10L, null, "invalid-file-name")]
    [InlineData("../etc/passwd", "application/pdf", 10L, null, "invalid-file-name")]
    [InlineData("a\\b.pdf", "application/pdf", 10L, null, "invalid-file-name")]
    [InlineData("..", "application/pdf", 10L, null, "invalid-file-name")]
    [InlineData("line\nbreak.pdf", "application/pdf", 10L, null, "invalid-file-name")]
    [InlineData("a.exe", "application/x-msdownload", 10L, null, "unsupported-content-type")]
    [InlineData("a.pdf", "application/pdf", 0L, null, "invalid-size")]
    [InlineData("a.pdf", "application/pdf", 1001L, null, "file-too-large")]
    [InlineData("a.pdf", "application/pdf", 10L, "abc", "invalid-sha256")]
    public void What_a_client_declares_is_checked_before_anything_is_reserved(string name, string type, long size, string? sha256, string? code) =>
        Assert.Equal(code, new UploadRequest(name, type, size, sha256).Validate(Limits)?.Code);

    [Fact]
    public void Refusals_have_the_kinds_the_api_turns_into_their_statuses()
    {
        Assert.Equal(ErrorKind.UnsupportedType, new UploadRequest("a", "application/x-msdownload", 1, null).Validate(Limits)!.Kind);
        Assert.Equal(ErrorKind.TooLarge, new UploadRequest("a", "application/pdf", 5000, null).Validate(Limits)!.Kind);
    }

    [Fact]
    public void The_type_and_checksum_are_stored_lower_case() =>
        Assert.Equal(("application/pdf", new string('a', 64)),
            (new UploadRequest("a", "Application/PDF", 1, new string('A', 64)).NormalizedContentType, new UploadRequest("a", "x", 1, new string('A', 64)).NormalizedSha256));
}
