namespace Dms.Worker.Extraction;

/// <summary>The text read from a file, how many pages it has, how many of them OCR read, and the day its metadata says it was created (a PDF's).</summary>
public sealed record ExtractedText(string Text, int Pages, int OcrPages, string Detail, DateOnly? Created = null);
