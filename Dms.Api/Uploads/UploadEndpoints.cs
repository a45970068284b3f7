using Dms.Adapters.FileSystem;
using Dms.Api.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Uploads;

/// <summary>
/// The file store's upload URLs: what a pre-signed S3 PUT is in AWS. No bearer token: the URL's signature is the
/// permission. The body is streamed to disk, never buffered, whatever its size.
/// </summary>
public static class UploadEndpoints
{
    public sealed record UploadReceipt(long SizeBytes, string Sha256);

    /// <summary>Only the file store needs them: with S3, clients upload to S3 itself.</summary>
    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<FileSystemBlobStore>() is null)
        {
            return endpoints;
        }

        endpoints.MapPut(FileSystemBlobStore.UploadRoute + "{**key}", ReceiveAsync)
            .WithTags("Uploads")
            .WithSummary("Receives the bytes of a document version at the signed URL that creating it returned.")
            .AllowAnonymous();
        return endpoints;
    }

    private static async Task<Results<Ok<UploadReceipt>, ProblemHttpResult>> ReceiveAsync(
        string key, long size, long expires, string signature, FileSystemBlobStore store, HttpContext http, CancellationToken cancellationToken,
        string? sha256 = null)
    {
        // The signed size is the limit for this request, in place of the server's default body limit.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = size + 1;
        }

        var outcome = await store.ReceiveAsync(key, size, sha256, expires, signature, http.Request.ContentLength, http.Request.Body, cancellationToken);
        return outcome.ToOk(stored => new UploadReceipt(stored.SizeBytes, stored.Sha256!));
    }
}
