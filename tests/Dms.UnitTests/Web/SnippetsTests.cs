using Dms.Web.Api;

namespace Dms.UnitTests.Web;

public sealed class SnippetsTests
{
    [Fact]
    public void A_snippet_of_escaped_text_and_marks_is_inserted_as_markup() =>
        Assert.Equal("a <mark>word</mark> &amp; &lt;b&gt; more", Snippets.Safe("a <mark>word</mark> &amp; &lt;b&gt; more").Value);

    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("<mark onclick=\"x()\">word</mark>", "&lt;mark onclick=&quot;x()&quot;&gt;word&lt;/mark&gt;")]
    [InlineData("<mark>a</mark><img src=x>", "&lt;mark&gt;a&lt;/mark&gt;&lt;img src=x&gt;")]
    public void Anything_but_marks_is_shown_as_text(string snippet, string shown) =>
        Assert.Equal(shown, Snippets.Safe(snippet).Value);
}
