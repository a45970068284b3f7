using Dms.Documents;

namespace Dms.UnitTests.Documents;

public sealed class DocumentMetadataTests
{
    private static readonly DocumentOptions Limits = new() { MaxTitleLength = 10, MaxTags = 2, MaxTagLength = 5 };

    [Fact]
    public void Tags_are_stored_trimmed_lower_case_once_each_and_in_order() =>
        Assert.Equal(["finance", "q3"], DocumentMetadata.NormalizeTags([" Q3", "finance", "FINANCE "]));

    [Theory]
    [InlineData("a title", null, null)]
    [InlineData("far too long a title", null, "invalid-title")]
    [InlineData("bell\a", null, "invalid-title")]
    [InlineData(null, "a,b,c", "invalid-tags")]
    [InlineData(null, "a, ", "invalid-tags")]
    [InlineData(null, "toolong", "invalid-tags")]
    [InlineData(null, "tab\t", "invalid-tags")]
    public void Titles_and_tags_within_the_limits_pass_and_others_name_the_field(string? title, string? tags, string? code) =>
        Assert.Equal(code, DocumentMetadata.Validate(title, tags?.Split(','), Limits)?.Code);
}
