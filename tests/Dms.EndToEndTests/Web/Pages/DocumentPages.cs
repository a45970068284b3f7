using Microsoft.Playwright;

namespace Dms.EndToEndTests.Web.Pages;

/// <summary>What a person does on the upload page and a document's page that the tests do in more than one place.</summary>
public static class DocumentPages
{
    /// <summary>What a drop from the desktop delivers: a DataTransfer of files, dropped on the upload page's zone.</summary>
    public static Task DropAsync(IPage page, IEnumerable<(string Name, string Type, byte[] Bytes)> files) =>
        page.EvaluateAsync(
            """
            files => {
              const transfer = new DataTransfer();
              for (const f of files) transfer.items.add(new File([Uint8Array.from(atob(f.data), c => c.charCodeAt(0))], f.name, { type: f.type }));
              document.querySelector(".dropzone").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
            }
            """,
            files.Select(f => new { name = f.Name, type = f.Type, data = Convert.ToBase64String(f.Bytes) }).ToArray());

    /// <summary>
    /// The image is on the page and the browser decoded it (a missing preview would be hidden, or 0 pixels wide). A
    /// page the worker renders on demand waits its turn behind the rest of the worker's queue: on a loaded machine that
    /// took more than 30 s.
    /// </summary>
    public static async Task AssertImageShownAsync(ILocator image)
    {
        await image.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(image).ToBeVisibleAsync();
        try
        {
            await image.Page.WaitForFunctionAsync(
                "img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync(), new() { Timeout = 90_000 });
        }
        catch (TimeoutException e)
        {
            // What the image's address answers now, how often the page script asked, and whether it gave up (a
            // preview it took for missing is hidden): with the servers' log, what names the cause.
            var answer = await image.Page.EvaluateAsync<string>(
                """
                async img => {
                  const answer = await fetch(img.src).catch(error => ({ status: String(error) }));
                  const body = answer.text ? (await answer.text()).slice(0, 300) : "";
                  return `${answer.status} ${body} (asked ${img.dataset.tries ?? 0} times, ${img.classList.contains("missing") ? "given up" : "still asking"}, at ${img.src})`;
                }
                """, await image.ElementHandleAsync());
            var logged = ProviderPages.ServerErrors is { } read ? await read() : "";
            throw new TimeoutException($"The image was not shown: its address answers {answer}\nThe servers logged:\n{logged}", e);
        }
    }
}
