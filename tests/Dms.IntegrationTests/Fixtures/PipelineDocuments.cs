using Dms.Contracts.Http;
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
    public static async Task<DocumentResponse> WaitForEndStateAsync(HttpClient client, Guid id, TimeSpan timeout, Func<string>? diagnostics = null) =>
        await WaitForStatusAsync(client, id, EndStates, timeout, diagnostics);

    /// <summary>Polls the document until its status is one of <paramref name="statuses"/>; fails with what the worker said if it never is.</summary>
    public static async Task<DocumentResponse> WaitForStatusAsync(HttpClient client, Guid id, string[] statuses, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        try
        {
            return await DocumentUploads.WaitForStatusAsync(client, id, statuses, timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{diagnostics?.Invoke()}", e);
        }
    }

    public static async Task<string> TextAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}/text")).GetProperty("text").GetString()!;

    public static async Task<Dictionary<string, JsonElement>> StepsAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/documents/{id}/processing"))!.ToDictionary(s => s.GetProperty("step").GetString()!);

    /// <summary>
    /// The dead letters, once there is one (or all there are when <paramref name="timeout"/> runs out): the worker
    /// records the document's failure first and dead-letters its job in a second step, so the document can be failed a
    /// moment before its job is a dead letter.
    /// </summary>
    public static async Task<JsonElement[]> DeadLettersAsync(HttpClient operatorClient, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var letters = (await operatorClient.GetFromJsonAsync<JsonElement[]>("/api/v1/admin/dead-letters", TestContext.Current.CancellationToken))!;
            if (letters.Length > 0 || DateTime.UtcNow > deadline)
            {
                return letters;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }
    }
}
