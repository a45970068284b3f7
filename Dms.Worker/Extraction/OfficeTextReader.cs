using System.IO.Compression;
using System.Text;
using Dms.Documents;
using Dms.Worker.Tools;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using Drawing = DocumentFormat.OpenXml.Drawing;
using Spreadsheet = DocumentFormat.OpenXml.Spreadsheet;
using Word = DocumentFormat.OpenXml.Wordprocessing;

namespace Dms.Worker.Extraction;

/// <summary>
/// Reads Word, Excel and PowerPoint Open XML files with the Open XML SDK, streaming each part (<see cref="OpenXmlReader"/>,
/// never the whole DOM) through a counter of inflated bytes: the archive's declared sizes and compression ratios are
/// checked before anything is inflated, and the bytes actually inflated while reading, so a zip bomb (a 4 MB file
/// whose document part inflates to 2 GB) stops at the budget. Text stops at the character budget.
/// </summary>
public sealed class OfficeTextReader(ToolOptions limits)
{
    public ExtractedText Read(string path, string contentType, int maxCharacters)
    {
        CheckArchive(path, limits);
        var budget = new InflatedBytes(limits.MaxDecompressedBytes);
        var text = new TextBudget(maxCharacters);
        try
        {
            var (pages, what) = contentType switch
            {
                ContentTypes.Docx => ReadWord(path, budget, text),
                ContentTypes.Xlsx => ReadWorkbook(path, budget, text),
                ContentTypes.Pptx => ReadPresentation(path, budget, text),
                _ => throw new ArgumentOutOfRangeException(nameof(contentType), contentType, "Not an Office Open XML type."),
            };
            return new ExtractedText(text.ToString(), pages, 0, text.Cut ? $"{what}, cut at {maxCharacters:N0} characters" : what);
        }
        catch (InflatedBytes.ExceededException)
        {
            throw TooLarge(limits);
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException or InvalidOperationException or IOException)
        {
            throw new UnreadableContentException($"The Office document is corrupt: {e.Message}");
        }
    }

    private static UnreadableContentException TooLarge(ToolOptions limits) =>
        new($"The Office document expands to more than {limits.MaxDecompressedBytes / (1024 * 1024):N0} MiB of XML, or more than {limits.MaxCompressionRatio} times its compressed size (Dms:Extraction budgets): it is built to expand (a zip bomb).");

    /// <summary>The central directory's promises, before anything is inflated.</summary>
    private static void CheckArchive(string path, ToolOptions limits)
    {
        try
        {
            using var archive = ZipFile.OpenRead(path);
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                total += entry.Length;
                if (total > limits.MaxDecompressedBytes || entry.Length > Math.Max(1024 * 1024, entry.CompressedLength * limits.MaxCompressionRatio))
                {
                    throw TooLarge(limits);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new UnreadableContentException($"The Office document is corrupt: {e.Message}");
        }
    }

    private static (int Pages, string What) ReadWord(string path, InflatedBytes budget, TextBudget text)
    {
        using var document = WordprocessingDocument.Open(path, false);
        var body = document.MainDocumentPart ?? throw new UnreadableContentException("The Word document has no body.");
        using var reader = Open(body, budget);
        while (!text.Full && reader.Read())
        {
            if (reader.ElementType == typeof(Word.Text) && reader.IsStartElement)
            {
                text.Append(reader.GetText());
            }
            else if (reader.ElementType == typeof(Word.Paragraph) && reader.IsEndElement)
            {
                text.Append("\n");
            }
        }

        return (1, "Word document");
    }

    private static (int Pages, string What) ReadWorkbook(string path, InflatedBytes budget, TextBudget text)
    {
        using var document = SpreadsheetDocument.Open(path, false);
        var workbook = document.WorkbookPart ?? throw new UnreadableContentException("The workbook has no sheets.");
        var shared = new List<string>();
        if (workbook.SharedStringTablePart is { } strings)
        {
            // Kept only up to the text budget: a string past it could never be shown.
            var kept = new TextBudget(text.Remaining);
            using var reader = Open(strings, budget);
            var item = new StringBuilder();
            while (!kept.Full && reader.Read())
            {
                if (reader.ElementType == typeof(Spreadsheet.Text) && reader.IsStartElement)
                {
                    item.Append(reader.GetText());
                }
                else if (reader.ElementType == typeof(Spreadsheet.SharedStringItem) && reader.IsEndElement)
                {
                    kept.Append(item.ToString());
                    shared.Add(item.ToString());
                    item.Clear();
                }
            }
        }

        var sheets = 0;
        foreach (var sheet in workbook.WorksheetParts)
        {
            sheets++;
            using var reader = Open(sheet, budget);
            var firstInRow = true;
            while (!text.Full && reader.Read())
            {
                if (reader.ElementType == typeof(Spreadsheet.Cell) && reader.IsStartElement)
                {
                    var cell = (Spreadsheet.Cell)reader.LoadCurrentElement()!;
                    text.Append(firstInRow ? CellText(cell, shared) : "\t" + CellText(cell, shared));
                    firstInRow = false;
                }
                else if (reader.ElementType == typeof(Spreadsheet.Row) && reader.IsEndElement)
                {
                    text.Append("\n");
                    firstInRow = true;
                }
            }
        }

        return (sheets, $"workbook with {sheets} sheets");
    }

    private static string CellText(Spreadsheet.Cell cell, List<string> shared) =>
        cell.DataType?.Value == Spreadsheet.CellValues.SharedString && int.TryParse(cell.CellValue?.Text, out var index) && index >= 0 && index < shared.Count
            ? shared[index]
            : cell.DataType?.Value == Spreadsheet.CellValues.InlineString ? cell.InnerText : cell.CellValue?.Text ?? "";

    private static (int Pages, string What) ReadPresentation(string path, InflatedBytes budget, TextBudget text)
    {
        using var document = PresentationDocument.Open(path, false);
        var presentation = document.PresentationPart ?? throw new UnreadableContentException("The presentation has no slides.");
        var slideIds = presentation.Presentation.SlideIdList?.Elements<DocumentFormat.OpenXml.Presentation.SlideId>() ?? [];
        var slides = 0;
        foreach (var slide in slideIds.Select(id => id.RelationshipId?.Value is { } rel ? presentation.GetPartById(rel) as SlidePart : null).OfType<SlidePart>())
        {
            if (slides++ > 0)
            {
                text.Append("\n\f");
            }

            using var reader = Open(slide, budget);
            var first = true;
            while (!text.Full && reader.Read())
            {
                if (reader.ElementType == typeof(Drawing.Text) && reader.IsStartElement)
                {
                    text.Append(first ? reader.GetText() : " " + reader.GetText());
                    first = false;
                }
            }
        }

        return (slides, $"presentation with {slides} slides");
    }

    /// <summary>A streaming reader of the part (one element at a time, typed as the SDK's classes), through the budget.</summary>
    private static OpenXmlReader Open(OpenXmlPart part, InflatedBytes budget)
    {
        var stream = budget.Count(part.GetStream(FileMode.Open, FileAccess.Read));
        return part.OpenXmlPackage switch
        {
            WordprocessingDocument => new WordprocessingDocumentPartReader(stream, default),
            SpreadsheetDocument => new SpreadsheetDocumentPartReader(stream, default),
            _ => new PresentationDocumentPartReader(stream, default),
        };
    }

    /// <summary>Text kept up to a number of characters, and whether more was offered.</summary>
    private sealed class TextBudget(int maxCharacters)
    {
        private readonly StringBuilder _text = new();

        public bool Cut { get; private set; }
        public bool Full => _text.Length >= maxCharacters;
        public int Remaining => maxCharacters - _text.Length;

        public void Append(string value)
        {
            var keep = Math.Min(value.Length, Remaining);
            _text.Append(value, 0, keep);
            Cut |= keep < value.Length;
        }

        public override string ToString() => _text.ToString();
    }

    /// <summary>Counts the bytes inflated from every part a document's reading opens, and stops past the budget.</summary>
    private sealed class InflatedBytes(long budget)
    {
        private long _read;

        public Stream Count(Stream inner) => new Counted(inner, this);

        public sealed class ExceededException() : Exception("The inflated bytes exceeded the budget.");

        private sealed class Counted(Stream inner, InflatedBytes owner) : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => Add(inner.Read(buffer, offset, count));

            public override int Read(Span<byte> buffer) => Add(inner.Read(buffer));

            private int Add(int read)
            {
                if ((owner._read += read) > owner.Budget)
                {
                    throw new ExceededException();
                }

                return read;
            }

            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }

        private long Budget => budget;
    }
}
