using System.Net.Http.Json;
using System.Text.Json;
using Dms.IntegrationTests.Api;

namespace Dms.IntegrationTests.Processing;

/// <summary>Uploading through the API and waiting for the pipeline to finish with a document.</summary>
public static class Documents
{
    public static readonly string[] EndStates = ["ready", "failed", "quarantined"];

    /// <summary>Creates, uploads and completes a document; returns its id.</summary>
    public static async Task<Guid> UploadAsync(ApiScenario scenario, HttpClient client, byte[] bytes, string fileName, string contentType)
    {
        var created = await ApiScenario.CreateDocumentAsync(client, bytes, fileName, contentType);
        await scenario.UploadAndCompleteAsync(client, created, bytes);
        return created.GetProperty("document").GetProperty("id").GetGuid();
    }

    /// <summary>Polls the document until it reaches an end state; fails with what the worker said if it never does.</summary>
    public static async Task<JsonElement> WaitForEndStateAsync(HttpClient client, Guid id, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement document;
        do
        {
            document = await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}");
            if (EndStates.Contains(document.GetProperty("status").GetString()))
            {
                return document;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Document {id} is still {document.GetProperty("status")} after {timeout}.\n{diagnostics?.Invoke()}");
        return document;
    }

    public static async Task<string> TextAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}/text")).GetProperty("text").GetString()!;

    public static async Task<Dictionary<string, JsonElement>> StepsAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/documents/{id}/processing"))!.ToDictionary(s => s.GetProperty("step").GetString()!);
}
