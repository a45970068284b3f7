using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Dms.Worker.Processing;
using Drawing = DocumentFormat.OpenXml.Drawing;
using Word = DocumentFormat.OpenXml.Wordprocessing;

namespace Dms.Worker.Extraction;

/// <summary>Reads Word, Excel and PowerPoint Open XML files with the Open XML SDK.</summary>
public static class OfficeTextReader
{
    public static ExtractedText Read(string path, string contentType)
    {
        try
        {
            return contentType switch
            {
                ContentTypes.Docx => ReadWord(path),
                ContentTypes.Xlsx => ReadWorkbook(path),
                ContentTypes.Pptx => ReadPresentation(path),
                _ => throw new ArgumentOutOfRangeException(nameof(contentType), contentType, "Not an Office Open XML type."),
            };
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException or InvalidOperationException)
        {
            throw new UnreadableContentException($"The Office document is corrupt: {e.Message}");
        }
    }

    private static ExtractedText ReadWord(string path)
    {
        using var document = WordprocessingDocument.Open(path, false);
        var body = document.MainDocumentPart?.Document?.Body ?? throw new UnreadableContentException("The Word document has no body.");
        var text = string.Join("\n", body.Descendants<Word.Paragraph>().Select(p => p.InnerText));
        return new ExtractedText(text, 1, 0, "Word document");
    }

    private static ExtractedText ReadWorkbook(string path)
    {
        using var document = SpreadsheetDocument.Open(path, false);
        var workbook = document.WorkbookPart ?? throw new UnreadableContentException("The workbook has no sheets.");
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
        var text = new StringBuilder();
        var sheets = 0;
        foreach (var sheet in workbook.WorksheetParts)
        {
            sheets++;
            foreach (var row in sheet.Worksheet.Descendants<Row>())
            {
                text.AppendJoin('\t', row.Elements<Cell>().Select(cell => CellText(cell, shared))).Append('\n');
            }
        }

        return new ExtractedText(text.ToString(), sheets, 0, $"workbook with {sheets} sheets");
    }

    private static string CellText(Cell cell, string[] shared) =>
        cell.DataType?.Value == CellValues.SharedString && int.TryParse(cell.CellValue?.Text, out var index) && index < shared.Length
            ? shared[index]
            : cell.DataType?.Value == CellValues.InlineString ? cell.InnerText : cell.CellValue?.Text ?? "";

    private static ExtractedText ReadPresentation(string path)
    {
        using var document = PresentationDocument.Open(path, false);
        var presentation = document.PresentationPart ?? throw new UnreadableContentException("The presentation has no slides.");
        var slideIds = presentation.Presentation.SlideIdList?.Elements<DocumentFormat.OpenXml.Presentation.SlideId>() ?? [];
        var slides = slideIds
            .Select(id => id.RelationshipId?.Value is { } rel ? presentation.GetPartById(rel) as SlidePart : null)
            .OfType<SlidePart>()
            .Select(slide => string.Join(" ", slide.Slide.Descendants<Drawing.Text>().Select(t => t.Text)))
            .ToList();
        return new ExtractedText(string.Join("\n\f", slides), slides.Count, 0, $"presentation with {slides.Count} slides");
    }
}
