using System.Security.Cryptography;
using Dms.Contracts.Client;
using Dms.Contracts.Http;

namespace Dms.TestSupport;

/// <summary>
/// What a client of the running system does, through the contract's client: create a document, PUT its bytes to
/// where the answer says, complete it, wait for the pipeline.
/// </summary>
public static class DocumentUploads
{
    /// <summary>Creates, uploads and completes a document; returns the document as <c>complete</c> answered.</summary>
    public static async Task<DocumentResponse> UploadAsync(
        HttpClient client, byte[] bytes, string fileName, string contentType, string[]? tags = null, CancellationToken cancellationToken = default)
    {
        var api = new DmsApiClient(client);
        var created = (await api.CreateDocumentAsync(
            new CreateDocumentRequest(fileName, contentType, bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)), null, tags), cancellationToken)).Take();
        using var put = new HttpRequestMessage(new HttpMethod(created.Upload.Method), created.Upload.Url) { Content = new ByteArrayContent(bytes) };
        // The headers the upload URL was signed with (S3 checks them): content type and checksum.
        foreach (var (name, value) in created.Upload.Headers)
        {
            if (!put.Headers.TryAddWithoutValidation(name, value))
            {
                put.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        (await client.SendAsync(put, cancellationToken)).EnsureSuccessStatusCode();
        return (await api.CompleteUploadAsync(created.Document.Id, null, cancellationToken)).Take();
    }

    /// <summary>Polls the document until its status is one of <paramref name="statuses"/>, and returns it.</summary>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed first: the message names the status it was left in.</exception>
    public static async Task<DocumentResponse> WaitForStatusAsync(
        HttpClient client, Guid id, string[] statuses, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var api = new DmsApiClient(client);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var document = (await api.GetDocumentAsync(id, cancellationToken)).Take();
            if (statuses.Contains(document.Status))
            {
                return document;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Document {id} is {document.Status} after {timeout}, not {string.Join(" or ", statuses)}.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
