using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Dms.TestSupport;

/// <summary>What a client of the running system does: create a document, PUT its bytes, complete it, wait for the pipeline.</summary>
public static class DocumentUploads
{
    /// <summary>Creates, uploads and completes a document; returns the document as <c>complete</c> answered.</summary>
    public static async Task<JsonElement> UploadAsync(
        HttpClient client, byte[] bytes, string fileName, string contentType, string[]? tags = null, CancellationToken cancellationToken = default)
    {
        var response = await client.PostAsJsonAsync("/api/v1/documents", new
        {
            fileName,
            contentType,
            sizeBytes = bytes.LongLength,
            sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            tags,
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var upload = created.GetProperty("upload");
        using var put = new HttpRequestMessage(new HttpMethod(upload.GetProperty("method").GetString()!), upload.GetProperty("url").GetString())
        {
            Content = new ByteArrayContent(bytes),
        };
        // The headers the upload URL was signed with (S3 checks them): content type and checksum.
        if (upload.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                if (!put.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()))
                {
                    put.Content.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
                }
            }
        }
        (await client.SendAsync(put, cancellationToken)).EnsureSuccessStatusCode();
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        var completed = await client.PostAsync($"/api/v1/documents/{id}/complete", null, cancellationToken);
        completed.EnsureSuccessStatusCode();
        return await completed.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>Polls the document until its status is one of <paramref name="statuses"/>, and returns it.</summary>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed first: the message names the status it was left in.</exception>
    public static async Task<JsonElement> WaitForStatusAsync(
        HttpClient client, Guid id, string[] statuses, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var document = await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}", cancellationToken);
            var status = document.GetProperty("status").GetString();
            if (statuses.Contains(status))
            {
                return document;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Document {id} is {status} after {timeout}, not {string.Join(" or ", statuses)}.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
