using System.Text;
using Dms.Worker.Extraction;
using Dms.Worker.Tools;
using Microsoft.Extensions.Options;

namespace Dms.UnitTests.Worker.Extraction;

/// <summary>Text and HTML within their budgets, HTML parsed in the reader process. (The PDF and OCR readers are not reached by these types.)</summary>
public sealed class TextExtractorTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dms-extract-");
    private readonly TextExtractor _extractor = new(pdf: null!, parsers: new ReaderProcess(new ChildProcess(Options.Create(new ToolOptions())), Options.Create(new ToolOptions())), ocr: null!, slots: null!, budgets: Options.Create(new ToolOptions()));

    /// <summary>
    /// 320 KB of unclosed <c>&lt;script </c> took the old regular expressions 181 s and grew quadratically (a 1 MiB
    /// file: about half an hour of a core). A parser reads it once; the minute allowed is two orders of magnitude more
    /// than it needs, so this is a hang check, not a timing.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task Html_made_to_backtrack_is_read_in_one_pass()
    {
        var path = Write("hostile.html", "<html><body><p>Before</p>" + string.Concat(Enumerable.Repeat("<script ", 131_072)));

        var extracted = await _extractor.ExtractAsync(path, "text/plain", "text/html", _folder.FullName, 10_000_000, TestContext.Current.CancellationToken);

        Assert.Equal("Before", extracted.Text);
    }

    [Fact]
    public async Task Html_keeps_the_texts_of_its_body_without_scripts_styles_or_markup()
    {
        var path = Write("page.html", "<html><head><style>p{}</style></head><body><p>Hello &amp; welcome</p><script>alert(1)</script><p>&lt;b&gt; stays text</p></body></html>");

        var extracted = await _extractor.ExtractAsync(path, "text/plain", "text/html", _folder.FullName, 1000, TestContext.Current.CancellationToken);

        Assert.Equal("Hello & welcome <b> stays text", extracted.Text);
    }

    [Fact]
    public async Task A_text_file_is_read_only_up_to_the_character_budget()
    {
        var path = Write("long.txt", new string('a', 5_000_000));

        var extracted = await _extractor.ExtractAsync(path, "text/plain", "text/plain", _folder.FullName, 1000, TestContext.Current.CancellationToken);

        Assert.Equal(1000, extracted.Text.Length);
        Assert.Equal("plain text, cut at 1,000 characters", extracted.Detail);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text, Encoding.UTF8);
        return path;
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
