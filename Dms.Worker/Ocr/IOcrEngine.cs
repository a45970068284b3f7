namespace Dms.Worker.Ocr;

/// <summary>The OCR port: text from one page image. Tesseract here; Textract can take its place in AWS.</summary>
public interface IOcrEngine
{
    /// <summary>The page's text; throws <see cref="TimeoutException"/> past the per-page time limit.</summary>
    Task<string> RecognizeAsync(string imagePath, CancellationToken cancellationToken);
}
