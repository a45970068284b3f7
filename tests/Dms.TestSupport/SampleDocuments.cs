using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using Word = DocumentFormat.OpenXml.Wordprocessing;

namespace Dms.TestSupport;

/// <summary>
/// Files of every kind the pipeline reads, made on the spot with real tools: PDFs with a text layer (PdfPig),
/// scans of them (pages rendered by pdftoppm, put back as images), encrypted ones (qpdf), Office files (Open XML SDK).
/// </summary>
public static class SampleDocuments
{
    /// <summary>A PDF whose pages carry <paramref name="pages"/> as real text, in large type so OCR reads the scans well.</summary>
    public static byte[] TextPdf(params string[] pages) => TextPdf(null, pages);

    /// <summary>A text PDF whose metadata says it was created at <paramref name="created"/> (PDF date syntax, D:20270210093000+01'00').</summary>
    public static byte[] TextPdfCreated(string created, params string[] pages) => TextPdf(created, pages);

    private static byte[] TextPdf(string? created, string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        if (created is not null)
        {
            builder.DocumentInformation.CreationDate = created;
        }

        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            var page = builder.AddPage(PageSize.A4);
            var y = 760.0;
            foreach (var line in text.Split('\n'))
            {
                page.AddText(line, 20, new PdfPoint(50, y), font);
                y -= 32;
            }
        }

        return builder.Build();
    }

    /// <summary>A page of <paramref name="text"/> as a grey PNG at 150 dpi: a photo of text, as far as OCR is concerned.</summary>
    public static async Task<byte[]> PngOfText(string text) => (await RenderPagesAsync(TextPdf(text), 150)).Single();

    /// <summary>An image-only PDF: each page is a picture of the text, with no text layer.</summary>
    public static async Task<byte[]> ScannedPdf(params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        foreach (var png in await RenderPagesAsync(TextPdf(pages), 150))
        {
            var page = builder.AddPage(PageSize.A4);
            page.AddPng(png, new PdfRectangle(0, 0, page.PageSize.Width, page.PageSize.Height));
        }

        return builder.Build();
    }

    /// <summary>The PDF with a user password: nothing can be read from it without the password.</summary>
    public static async Task<byte[]> PasswordProtectedPdf(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("dms-sample-");
        try
        {
            var plain = Path.Combine(folder.FullName, "plain.pdf");
            var locked = Path.Combine(folder.FullName, "locked.pdf");
            await File.WriteAllBytesAsync(plain, pdf);
            var result = await ProcessRunner.RunAsync("qpdf", ["--encrypt", "user-secret", "owner-secret", "256", "--", plain, locked]);
            return result.ExitCode == 0 ? await File.ReadAllBytesAsync(locked) : throw new InvalidOperationException(result.ToString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The first half of a PDF: what a broken upload leaves.</summary>
    public static byte[] CorruptPdf(byte[] pdf) => pdf[..(pdf.Length / 2)];

    public static byte[] Docx(params string[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Word.Document(new Word.Body(paragraphs.Select(p => new Word.Paragraph(new Word.Run(new Word.Text(p))))));
        }

        return stream.ToArray();
    }

    /// <summary>Renders each page of a PDF to a grey PNG with pdftoppm.</summary>
    public static async Task<IReadOnlyList<byte[]>> RenderPagesAsync(byte[] pdf, int dpi)
    {
        var folder = Directory.CreateTempSubdirectory("dms-sample-");
        try
        {
            var input = Path.Combine(folder.FullName, "input.pdf");
            await File.WriteAllBytesAsync(input, pdf);
            var result = await ProcessRunner.RunAsync("pdftoppm", ["-r", dpi.ToString(), "-gray", "-png", input, Path.Combine(folder.FullName, "page")]);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(result.ToString());
            }

            var pages = folder.GetFiles("page-*.png").OrderBy(f => f.Name.Length).ThenBy(f => f.Name, StringComparer.Ordinal);
            return [.. await Task.WhenAll(pages.Select(f => File.ReadAllBytesAsync(f.FullName)))];
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
