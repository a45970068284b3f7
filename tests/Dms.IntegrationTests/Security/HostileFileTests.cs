using Dms.Documents;
using Dms.TestSupport;
using Dms.Worker.Extraction;
using Dms.Worker.Ocr;
using Dms.Worker.Previews;
using Dms.Worker.Tools;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// Files built to exhaust the worker, read by the real extractor (poppler, tesseract and the .NET parsers in their own processes): each
/// ends in a permanent failure that names its budget, or in its text cut at the budget, never in the worker's memory.
/// Small budgets stand for the defaults, so that the files stay small.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dms-hostile-");

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData(ContentTypes.Docx)]
    [InlineData(ContentTypes.Xlsx)]
    [InlineData(ContentTypes.Pptx)]
    public async Task An_office_zip_bomb_is_refused_before_it_is_inflated(string type)
    {
        // 64 MiB of XML that deflates to about 64 KB: a thousand times its compressed size.
        var path = Write("bomb.zip", HostileFiles.ZipBomb(("word/document.xml", 64 * 1024 * 1024)));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() => ExtractAsync(new ToolOptions(), path, type));

        Assert.Contains("built to expand (a zip bomb)", refused.Message);
    }

    [Fact]
    public async Task An_office_document_past_its_inflated_bytes_budget_is_refused()
    {
        var path = Write("big.docx", SampleDocuments.Docx([.. Enumerable.Range(0, 20_000).Select(i => $"Paragraph {i} of a long report, each one different: {Guid.NewGuid()}")]));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() =>
            ExtractAsync(new ToolOptions { MaxDecompressedBytes = 1024 * 1024, MaxCompressionRatio = 100_000 }, path, ContentTypes.Docx));

        Assert.Contains("expands to more than 1 MiB", refused.Message);
    }

    /// <summary>
    /// An archive whose directory declares a small part, so that it passes the check of declared sizes: .NET inflates an
    /// entry no further than its declared size, so the part ends early and the document is refused as corrupt (the
    /// inflated-bytes counter stands behind that).
    /// </summary>
    [Fact]
    public async Task An_office_document_that_lies_about_its_inflated_size_is_read_no_further_than_it_declares()
    {
        var honest = SampleDocuments.Docx([.. Enumerable.Range(0, 20_000).Select(i => $"Paragraph {i} of a long report, each one different: {Guid.NewGuid()}")]);
        var path = Write("lying.docx", HostileFiles.WithDeclaredSize(honest, "word/document.xml", declaredBytes: 1_000));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() =>
            ExtractAsync(new ToolOptions { MaxDecompressedBytes = 1024 * 1024 }, path, ContentTypes.Docx));

        Assert.StartsWith("The Office document is corrupt: Unexpected end of file", refused.Message);
    }

    [Fact]
    public async Task An_office_document_longer_than_the_text_budget_is_read_up_to_it()
    {
        var path = Write("long.docx", SampleDocuments.Docx([.. Enumerable.Range(0, 2_000).Select(i => $"Paragraph {i}")]));

        var extracted = await ExtractAsync(new ToolOptions(), path, ContentTypes.Docx, maxCharacters: 1_000);

        Assert.Equal(1_000, extracted.Text.Length);
        Assert.StartsWith("Paragraph 0\nParagraph 1\n", extracted.Text);
        Assert.Contains("cut at 1,000 characters", extracted.Detail);
    }

    /// <summary>
    /// A parser that needs more memory than the budget (here one text element of 100 million characters, read whole)
    /// runs out of it in its own process: the document fails with the budget's name, the worker is not touched.
    /// </summary>
    [Fact]
    public async Task An_office_parser_that_needs_more_memory_than_the_budget_is_stopped_in_its_own_process()
    {
        var path = Write("one-long-run.docx", SampleDocuments.Docx(new string('a', 100_000_000)));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() => ExtractAsync(
            new ToolOptions { MaxToolMemoryBytes = 64 * 1024 * 1024, MaxDecompressedBytes = 1L << 30, MaxCompressionRatio = 100_000 }, path, ContentTypes.Docx));

        Assert.Contains("needed more than 64 MiB of memory", refused.Message);
    }

    [Fact]
    public async Task A_pdf_whose_stream_inflates_past_the_tools_processor_budget_stops_the_tool_not_the_worker()
    {
        // A content stream of 400 MiB of operators that deflates to about 400 KB.
        var path = Write("bomb.pdf", HostileFiles.FlateBombPdf(400 * 1024 * 1024));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() =>
            ExtractAsync(new ToolOptions { MaxToolCpuTime = TimeSpan.FromSeconds(1) }, path, ContentTypes.Pdf));

        Assert.Contains("of processor time (Dms:Extraction budgets)", refused.Message);
    }

    [Fact]
    public async Task A_pdf_text_layer_longer_than_the_text_budget_is_read_up_to_it()
    {
        var path = Write("long.pdf", SampleDocuments.TextPdf([.. Enumerable.Range(0, 40).Select(i => $"Page {i} says something about the budget")]));

        var extracted = await ExtractAsync(new ToolOptions(), path, ContentTypes.Pdf, maxCharacters: 200);

        Assert.True(extracted.Text.Length <= 200, $"{extracted.Text.Length} characters");
        Assert.Contains("Page 0 says", extracted.Text);
        Assert.Contains("the text layer cut at 200 characters", extracted.Detail);
        Assert.Equal(40, extracted.Pages);
    }

    [Theory]
    [InlineData(ContentTypes.Png)]
    [InlineData(ContentTypes.Jpeg)]
    [InlineData(ContentTypes.Tiff)]
    public async Task An_image_whose_header_promises_a_billion_pixels_is_refused_before_ocr_decodes_it(string type)
    {
        var path = Write("huge.image", GigapixelHeader(type));
        Assert.Equal(type, ContentSniffer.Sniff(path).ContentType);

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() => ExtractAsync(new ToolOptions(), path, type));

        Assert.Contains("30,000 × 30,000 pixels, more than the 50-megapixel limit", refused.Message);
    }

    [Fact]
    public async Task A_pdf_page_two_hundred_inches_wide_is_previewed_no_larger_than_the_preview_sizes()
    {
        var path = Write("huge-page.pdf", HostileFiles.EmptyPagesPdf(1, 14_400));
        var settings = new PreviewOptions();

        var rendered = await Previews().RenderAsync(path, ContentTypes.Pdf, _folder.FullName, Cancellation);
        var pages = await Previews().RenderPagesAsync(path, 1, Path.Combine(_folder.FullName, "pages"), Cancellation);

        Assert.Equal([0], rendered.Images.Select(i => i.Page));
        Assert.Equal(settings.ThumbnailPixels, PngSize.LongestSide(File.ReadAllBytes(rendered.Images[0].Path)));
        Assert.Equal([1], pages.Select(p => p.Page));
        Assert.Equal(settings.PagePixels, PngSize.LongestSide(File.ReadAllBytes(pages[0].Path)));
    }

    [Theory]
    [InlineData(ContentTypes.Png)]
    [InlineData(ContentTypes.Jpeg)]
    [InlineData(ContentTypes.Tiff)]
    public async Task An_image_whose_header_promises_a_billion_pixels_gets_no_preview_and_is_never_decoded(string type)
    {
        var path = Write("huge.image", GigapixelHeader(type));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() => Previews().RenderAsync(path, type, _folder.FullName, Cancellation));

        Assert.Equal("The image is 30,000 × 30,000 pixels, more than the 50,000,000 a preview is made from (Dms:Extraction:MaxPixels).", refused.Message);
    }

    [Fact]
    public async Task An_image_whose_pixels_are_missing_gets_no_preview_and_the_decoders_reason_from_its_own_process()
    {
        var path = Write("truncated.png", HostileFiles.PngHeader(100, 100));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() => Previews().RenderAsync(path, ContentTypes.Png, _folder.FullName, Cancellation));

        Assert.StartsWith("The image's preview could not be made: ", refused.Message);
    }

    [Theory]
    [InlineData(ContentTypes.Png)]
    [InlineData(ContentTypes.Jpeg)]
    public async Task An_image_whose_header_hides_its_size_is_refused_before_ocr_or_a_preview_decodes_it(string type)
    {
        var path = Write("sizeless.image", SizelessHeader(type));
        Assert.Equal(type, ContentSniffer.Sniff(path).ContentType);

        var unread = await Assert.ThrowsAsync<UnreadableContentException>(() => ExtractAsync(new ToolOptions(), path, type));
        var unpreviewed = await Assert.ThrowsAsync<UnreadableContentException>(() => Previews().RenderAsync(path, type, _folder.FullName, Cancellation));

        Assert.StartsWith("The image's header", unread.Message);
        Assert.StartsWith("The image's header", unpreviewed.Message);
    }

    /// <summary>
    /// An image of the type whose header never says how large it is: a PNG whose first chunk is not its header chunk,
    /// a JPEG with a comment and no frame header.
    /// </summary>
    private static byte[] SizelessHeader(string type)
    {
        if (type == ContentTypes.Png)
        {
            // After the 8-byte signature, the first chunk's length (4 bytes) and type: no longer IHDR.
            var png = HostileFiles.PngHeader(100, 100);
            "IHDx"u8.CopyTo(png.AsSpan(12));
            return png;
        }

        return [0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x04, (byte)'h', (byte)'i', 0xFF, 0xD9];
    }

    /// <summary>An image of the type whose header promises 30,000 × 30,000 pixels (900 megapixels), with no pixels behind it.</summary>
    private static byte[] GigapixelHeader(string type) => type switch
    {
        ContentTypes.Png => HostileFiles.PngHeader(30_000, 30_000),
        ContentTypes.Jpeg => HostileFiles.JpegHeader(30_000, 30_000),
        _ => HostileFiles.TiffHeader(30_000, 30_000),
    };

    private static PreviewRenderer Previews()
    {
        var (settings, budgets) = (Options.Create(new PreviewOptions()), Options.Create(new ToolOptions()));
        return new PreviewRenderer(settings, budgets, new ImagePreviewProcess(new ChildProcess(budgets), settings, budgets));
    }

    private async Task<ExtractedText> ExtractAsync(ToolOptions budgets, string path, string type, int maxCharacters = 1_000_000)
    {
        var ocr = Options.Create(new OcrOptions());
        var limits = Options.Create(budgets);
        using var slots = new OcrSlots(ocr);
        var engine = new TesseractOcrEngine(ocr, limits);
        var extractor = new TextExtractor(new PdfTextReader(new PdfPageRenderer(ocr, limits), engine, slots, ocr, limits, Microsoft.Extensions.Logging.Abstractions.NullLogger<PdfTextReader>.Instance), new ReaderProcess(new ChildProcess(limits), limits), engine, slots, limits);
        return await extractor.ExtractAsync(path, type, type, _folder.FullName, maxCharacters, Cancellation);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
