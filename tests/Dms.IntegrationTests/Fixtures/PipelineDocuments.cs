using System.Net.Http.Json;
using System.Text.Json;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>Uploading through the API and waiting for the pipeline to finish with a document.</summary>
public static class PipelineDocuments
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
    public static async Task<JsonElement> WaitForEndStateAsync(HttpClient client, Guid id, TimeSpan timeout, Func<string>? diagnostics = null) =>
        await WaitForStatusAsync(client, id, EndStates, timeout, diagnostics);

    /// <summary>Polls the document until its status is one of <paramref name="statuses"/>; fails with what the worker said if it never is.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, Guid id, string[] statuses, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var document = await DocumentUploads.WaitForStatusAsync(client, id, statuses, timeout, TestContext.Current.CancellationToken);
        Assert.True(statuses.Contains(document.GetProperty("status").GetString()),
            $"Document {id} is {document.GetProperty("status")} after {timeout}, not {string.Join(" or ", statuses)}.\n{diagnostics?.Invoke()}");
        return document;
    }

    public static async Task<string> TextAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}/text")).GetProperty("text").GetString()!;

    public static async Task<Dictionary<string, JsonElement>> StepsAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/documents/{id}/processing"))!.ToDictionary(s => s.GetProperty("step").GetString()!);
}
