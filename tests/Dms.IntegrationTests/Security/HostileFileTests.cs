using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Dms.TestSupport;
using Dms.Worker.Extraction;
using Dms.Worker.Ocr;
using Dms.Worker.Processing;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// Files built to exhaust the worker, read by the real extractor (poppler and tesseract in their own processes): each
/// ends in a permanent failure that names its budget, or in its text cut at the budget, never in the worker's memory.
/// Small budgets stand for the defaults, so that the files stay small. Not shown here: a zip whose central directory
/// lies about its sizes (the inflated-bytes counter stops it while reading; .NET refuses to write such a zip).
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
        var path = Write("bomb.zip", ZipOf(("word/document.xml", 64 * 1024 * 1024)));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() => ExtractAsync(new ExtractionOptions(), path, type));

        Assert.Contains("built to expand (a zip bomb)", refused.Message);
    }

    [Fact]
    public async Task An_office_document_past_its_inflated_bytes_budget_is_refused()
    {
        var path = Write("big.docx", SampleDocuments.Docx([.. Enumerable.Range(0, 20_000).Select(i => $"Paragraph {i} of a long report, each one different: {Guid.NewGuid()}")]));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() =>
            ExtractAsync(new ExtractionOptions { MaxDecompressedBytes = 1024 * 1024, MaxCompressionRatio = 100_000 }, path, ContentTypes.Docx));

        Assert.Contains("expands to more than 1 MiB", refused.Message);
    }

    [Fact]
    public async Task An_office_document_longer_than_the_text_budget_is_read_up_to_it()
    {
        var path = Write("long.docx", SampleDocuments.Docx([.. Enumerable.Range(0, 2_000).Select(i => $"Paragraph {i}")]));

        var extracted = await ExtractAsync(new ExtractionOptions(), path, ContentTypes.Docx, maxCharacters: 1_000);

        Assert.Equal(1_000, extracted.Text.Length);
        Assert.StartsWith("Paragraph 0\nParagraph 1\n", extracted.Text);
        Assert.Contains("cut at 1,000 characters", extracted.Detail);
    }

    [Fact]
    public async Task A_pdf_whose_stream_inflates_past_the_tools_processor_budget_stops_the_tool_not_the_worker()
    {
        // A content stream of 400 MiB of operators that deflates to about 400 KB.
        var path = Write("bomb.pdf", FlateBombPdf(400 * 1024 * 1024));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() =>
            ExtractAsync(new ExtractionOptions { MaxToolCpuTime = TimeSpan.FromSeconds(1) }, path, ContentTypes.Pdf));

        Assert.Contains("of processor time (Dms:Extraction budgets)", refused.Message);
    }

    [Fact]
    public async Task A_pdf_text_layer_longer_than_the_text_budget_is_read_up_to_it()
    {
        var path = Write("long.pdf", SampleDocuments.TextPdf([.. Enumerable.Range(0, 40).Select(i => $"Page {i} says something about the budget")]));

        var extracted = await ExtractAsync(new ExtractionOptions(), path, ContentTypes.Pdf, maxCharacters: 200);

        Assert.True(extracted.Text.Length <= 200, $"{extracted.Text.Length} characters");
        Assert.Contains("Page 0 says", extracted.Text);
        Assert.Contains("the text layer cut at 200 characters", extracted.Detail);
        Assert.Equal(40, extracted.Pages);
    }

    [Fact]
    public async Task An_image_whose_header_promises_a_billion_pixels_is_refused_before_ocr_decodes_it()
    {
        var path = Write("huge.png", PngHeader(30_000, 30_000));

        var refused = await Assert.ThrowsAsync<UnreadableContentException>(() => ExtractAsync(new ExtractionOptions(), path, ContentTypes.Png));

        Assert.Contains("30,000 × 30,000 pixels, more than the 50-megapixel limit", refused.Message);
    }

    private async Task<ExtractedText> ExtractAsync(ExtractionOptions budgets, string path, string type, int maxCharacters = 1_000_000)
    {
        var ocr = Options.Create(new OcrOptions());
        var limits = Options.Create(budgets);
        using var slots = new OcrSlots(ocr);
        var engine = new TesseractOcrEngine(ocr, limits);
        var extractor = new TextExtractor(new PdfTextReader(new PdfPageRenderer(ocr, limits), engine, slots, ocr, limits), new OfficeTextReader(limits), engine, slots, limits);
        return await extractor.ExtractAsync(path, type, type, _folder.FullName, maxCharacters, Cancellation);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A zip of entries of the given sizes, each of one repeated XML element.</summary>
    private static byte[] ZipOf(params (string Name, int Bytes)[] entries)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<w:t>aaaa</w:t>", 4096)));
                for (var written = 0; written < bytes; written += chunk.Length)
                {
                    entry.Write(chunk);
                }
            }
        }

        return zip.ToArray();
    }

    /// <summary>A one-page PDF whose content stream is <paramref name="bytes"/> of text operators, Flate-compressed.</summary>
    private static byte[] FlateBombPdf(int bytes)
    {
        using var compressed = new MemoryStream();
        using (var deflate = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0 0 m 1 1 l S\n", 4096)));
            for (var written = 0; written < bytes; written += chunk.Length)
            {
                deflate.Write(chunk);
            }
        }

        var pdf = new MemoryStream();
        var offsets = new List<long>();
        void Text(string s) => pdf.Write(Encoding.ASCII.GetBytes(s));
        Text("%PDF-1.4\n");
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        ];
        foreach (var (body, number) in objects.Select((o, i) => (o, i + 1)))
        {
            offsets.Add(pdf.Position);
            Text($"{number} 0 obj\n{body}\nendobj\n");
        }

        offsets.Add(pdf.Position);
        Text($"4 0 obj\n<< /Length {compressed.Length} /Filter /FlateDecode >>\nstream\n");
        pdf.Write(compressed.ToArray());
        Text("\nendstream\nendobj\n");
        var xref = pdf.Position;
        Text($"xref\n0 5\n0000000000 65535 f \n{string.Concat(offsets.Select(o => $"{o:D10} 00000 n \n"))}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    /// <summary>A PNG signature and header for an image of the given size, followed by an empty image stream.</summary>
    private static byte[] PngHeader(int width, int height)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", ZLib([]));
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, System.IO.Hashing.Crc32.HashToUInt32(typed));
        png.Write(number);
    }

    private static byte[] ZLib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }
}
