using Dms.Documents;
using Dms.Documents.Queries;
using Dms.Documents.Uploads;

namespace Dms.UnitTests.Documents.Queries;

public sealed class DocumentQueryTests
{
    private static readonly DocumentOptions Limits = new() { MaxPageSize = 100 };

    [Fact]
    public void A_cursor_given_out_is_taken_back_and_one_changed_by_a_character_is_not()
    {
        var document = Document.Create(Guid.NewGuid(), new UploadRequest("a.txt", "text/plain", 1, null), null, null, null, null, DateTimeOffset.UnixEpoch);
        var cursor = DocumentQuery.CursorAfter(document);

        Assert.Null(new DocumentQuery(null, null, null, null, null, null, cursor).Validate(Limits));
        Assert.Equal("invalid-cursor", new DocumentQuery(null, null, null, null, null, null, cursor[..^2]).Validate(Limits)?.Code);
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("ready", 100, null, null)]
    [InlineData("done", null, null, "invalid-status")]
    [InlineData(null, 0, null, "invalid-limit")]
    [InlineData(null, 101, null, "invalid-limit")]
    [InlineData(null, null, "not-a-cursor", "invalid-cursor")]
    [InlineData(null, null, "MTIzOm5vdC1hLWd1aWQ", "invalid-cursor")]
    public void Filters_limits_and_cursors_are_checked(string? status, int? limit, string? cursor, string? code) =>
        Assert.Equal(code, new DocumentQuery(status, null, null, null, null, limit, cursor).Validate(Limits)?.Code);

    [Fact]
    public void A_range_that_ends_before_it_starts_is_refused() =>
        Assert.Equal("invalid-created-range",
            new DocumentQuery(null, null, null, DateTimeOffset.UnixEpoch.AddDays(1), DateTimeOffset.UnixEpoch, null, null).Validate(Limits)?.Code);
}
