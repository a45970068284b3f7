namespace Dms.Documents;

/// <summary>The content types the pipeline reads, and which declared types a detected one satisfies.</summary>
public static class ContentTypes
{
    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Tiff = "image/tiff";
    public const string Text = "text/plain";
    public const string Html = "text/html";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

    /// <summary>Plain text in any of its dialects: the bytes cannot tell markdown from CSV, so any text satisfies each.</summary>
    public static readonly IReadOnlySet<string> TextDialects = new HashSet<string> { Text, "text/markdown", "text/csv", Html };

    public static bool IsImage(string type) => type is Png or Jpeg or Tiff;

    public static bool Satisfies(string detected, string declared) =>
        detected == declared || (detected == Text && TextDialects.Contains(declared));
}
