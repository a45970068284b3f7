namespace Dms.Worker.Ocr;

/// <summary>
/// The worker's OCR slots, <see cref="OcrOptions.MaxParallelPages"/> of them, whichever documents the pages belong to:
/// a page holds one while it is rendered (<c>pdftoppm</c>) and read (<c>tesseract</c>), so neither the cores nor the
/// work folder's page images are ever oversubscribed.
/// </summary>
public sealed class OcrSlots(Microsoft.Extensions.Options.IOptions<OcrOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxParallelPages);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
