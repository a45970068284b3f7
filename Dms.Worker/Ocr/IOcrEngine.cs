namespace Dms.Worker.Ocr;

/// <summary>The OCR port: text from one page image. Tesseract here; Textract can take its place in AWS.</summary>
public interface IOcrEngine
{
    /// <summary>The page's text; throws <see cref="TimeoutException"/> past the per-page time limit.</summary>
    Task<string> RecognizeAsync(string imagePath, CancellationToken cancellationToken);

    /// <summary>For <c>/health</c>: what answered (a description), or an exception saying why OCR cannot run.</summary>
    Task<string> CheckAsync(CancellationToken cancellationToken);
}
