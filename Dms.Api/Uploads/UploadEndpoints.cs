using Dms.Adapters.FileSystem;
using Dms.Api.Problems;
using Dms.Contracts.Http;
using Dms.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Dms.Api.Uploads;

/// <summary>
/// The file store's upload URLs: what a pre-signed S3 PUT is in AWS. No bearer token: the URL's signature is the
/// permission. The body is streamed to disk, never buffered, whatever its size.
/// </summary>
public static class UploadEndpoints
{
    /// <summary>Where they are served: a signed URL is this, then the object's key, then the signed query.</summary>
    public const string Route = "/api/v1/uploads/";

    private const string BrowserUploads = "browser-uploads";

    /// <summary>The file store's uploads are addressed to this API, at the address the client reached it by.</summary>
    public static IHostApplicationBuilder AddUploads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<IUploadAddress, RequestUploadAddress>();
        var origins = builder.Configuration.GetSection($"{StorageOptions.Section}:FileSystem").Get<FileSystemStorageOptions>()?.BrowserOrigins ?? [];
        builder.Services.AddCors(cors => cors.AddPolicy(BrowserUploads, policy => policy
            .WithOrigins(origins).WithMethods(HttpMethods.Put).WithHeaders(HeaderNames.ContentType).WithExposedHeaders(HeaderNames.ETag)
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return builder;
    }

    /// <summary>Only the file store needs them: with S3, clients upload to S3 itself.</summary>
    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<FileSystemBlobStore>() is null)
        {
            return endpoints;
        }

        endpoints.MapPut(Route + "{**key}", ReceiveAsync).WithName("ReceiveUpload")
            .WithTags("Uploads")
            .WithSummary("Receives the bytes of a document version at the signed URL that creating it returned.")
            .AllowAnonymous()
            // The web app's pages PUT from the browser (Dms:Storage:FileSystem:BrowserOrigins).
            .RequireCors(BrowserUploads)
            // As long as the bytes take: the URL's size and lifetime bound it.
            .DisableRequestTimeout();
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

/// <summary>The upload URL on the scheme, host and base path of the request that prepares the upload.</summary>
internal sealed class RequestUploadAddress(IHttpContextAccessor http) : IUploadAddress
{
    public string UrlFor(string key, string signedQuery)
    {
        var request = http.HttpContext?.Request ?? throw new InvalidOperationException("Uploads are prepared while serving a request.");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{UploadEndpoints.Route}{key}?{signedQuery}";
    }
}
