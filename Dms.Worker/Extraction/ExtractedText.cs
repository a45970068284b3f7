namespace Dms.Worker.Extraction;

/// <summary>The text read from a file, how many pages it has, and how many of them OCR read.</summary>
public sealed record ExtractedText(string Text, int Pages, int OcrPages, string Detail);
