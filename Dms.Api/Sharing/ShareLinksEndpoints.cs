using System.Threading.RateLimiting;
using Dms.Api.Audit;
using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Sharing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Dms.Api.Sharing;

/// <summary>
/// Share links: listed, created and revoked on a document by whoever may change it; used without an account under
/// <c>/api/v1/shared/{token}</c> (what the link shows, a page's image, the download of the clean current version),
/// each use in the document's history and every address limited to <see cref="ShareLinkOptions.RequestsPerSecond"/>.
/// </summary>
public static class ShareLinksEndpoints
{
    private const string SharedLimit = "shared";

    public static IHostApplicationBuilder AddSharing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<ShareLinkOptions>(ShareLinkOptions.Section);
        builder.Services.AddScoped<CreateShareLink>();
        builder.Services.AddScoped<RevokeShareLink>();
        builder.Services.AddScoped<ListShareLinks>();
        builder.Services.AddScoped<UseShareLink>();
        builder.Services.Configure<RateLimiterOptions>(options => options.AddPolicy(SharedLimit, http =>
        {
            var perSecond = http.RequestServices.GetRequiredService<IOptions<ShareLinkOptions>>().Value.RequestsPerSecond;
            return RateLimitPartition.GetTokenBucketLimiter($"shared/{AuditActors.ClientAddress(http)}", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = 2 * perSecond,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        }));
        return builder;
    }

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder endpoints)
    {
        var links = endpoints.MapGroup("/api/v1/documents/{id:guid}/share-links").WithTags("Documents");
        links.MapGet("/", ListAsync).WithName("ListShareLinks").RequireAuthorization(Policies.Read).WithSummary("A document's share links, newest first, with their uses.");
        links.MapPost("/", CreateAsync).WithName("CreateShareLink").RequireAuthorization(Policies.Write)
            .WithSummary("Shares a document by link (expiry required; optional password and number of downloads): the answer's token is shown once.");
        links.MapPost("/{linkId:guid}/revoke", RevokeAsync).WithName("RevokeShareLink").RequireAuthorization(Policies.Write)
            .WithSummary("Revokes a share link: it answers 410 from then on.");

        var shared = endpoints.MapGroup("/api/v1/shared/{token}").WithTags("Shared").AllowAnonymous().RequireRateLimiting(SharedLimit);
        shared.MapGet("/", OpenAsync).WithName("OpenSharedDocument")
            .WithSummary("What a share link shows, without an account (its password in X-Share-Password): 404 unknown, 410 expired, revoked or used up, 403 without the right password.");
        shared.MapGet("/pages/{page:int}", PageAsync).WithName("GetSharedPageImage").WithSummary("A page's image of a shared document.");
        shared.MapGet("/content", ContentAsync).WithName("GetSharedContent").DisableRequestTimeout()
            .WithSummary("The clean current version of a shared document, as an attachment: takes one of the link's downloads.");
        return endpoints;
    }

    private static async Task<Results<Ok<List<ShareLinkResponse>>, ProblemHttpResult>> ListAsync(
        Guid id, Caller caller, ListShareLinks list, TimeProvider time, CancellationToken cancellationToken) =>
        (await list.HandleAsync(caller.TenantId, id, cancellationToken)).ToOk(links => links.Select(l => l.ToResponse(time.GetUtcNow())).ToList());

    private static async Task<Results<Created<ShareLinkResponse>, ProblemHttpResult>> CreateAsync(
        Guid id, ShareLinkRequest request, Caller caller, CreateShareLink create, TimeProvider time, CancellationToken cancellationToken) =>
        (await create.HandleAsync(caller.TenantId, id, new CreateShareLink.Command(request.ExpiresAt, request.Password, request.MaxDownloads), cancellationToken))
            .ToCreated(created => $"/api/v1/documents/{id}/share-links", created => created.Link.ToResponse(time.GetUtcNow()) with { Token = created.Token });

    private static async Task<Results<Ok<ShareLinkResponse>, ProblemHttpResult>> RevokeAsync(
        Guid id, Guid linkId, Caller caller, RevokeShareLink revoke, TimeProvider time, CancellationToken cancellationToken) =>
        (await revoke.HandleAsync(caller.TenantId, id, linkId, cancellationToken)).ToOk(link => link.ToResponse(time.GetUtcNow()));

    private static async Task<Results<Ok<SharedDocumentResponse>, ProblemHttpResult>> OpenAsync(
        string token, UseShareLink use, HttpContext http, CancellationToken cancellationToken) =>
        (await use.OpenAsync(token, Password(http), Visitor(http), cancellationToken)).ToOk(shared => new SharedDocumentResponse(
            shared.Document.Title, shared.Document.FileName, shared.Document.ContentType, shared.Document.SizeBytes,
            shared.Document.Status == Dms.Documents.DocumentStatus.Ready && Previews.PreviewTypes.Renders(shared.Document.ContentType) ? Math.Min(shared.Pages, ApiLimits.MaxPreviewPage) : 0,
            shared.Link.ExpiresAt, shared.Link.MaxDownloads - shared.Link.Downloads));

    private static async Task<IResult> PageAsync(string token, int page, UseShareLink use, HttpContext http, CancellationToken cancellationToken)
    {
        if (page < 1)
        {
            return Error.Invalid("page", "page must be 1 or more: pages are counted from 1.").ToProblem();
        }

        var outcome = await use.PageAsync(token, Password(http), page, Visitor(http), cancellationToken);
        if (outcome.Error is { } error)
        {
            return error.ToProblem();
        }

        if (outcome.Value!.Content is not { } content)
        {
            http.Response.Headers.RetryAfter = "2";
            return TypedResults.Accepted((string?)null, new PageRendering("rendering", $"Page {page} is being rendered: ask again in a moment."));
        }

        // Anyone with the link may have it, until the link stops working: not kept by shared caches.
        http.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.Stream(content, Previews.OpenPreview.ContentType, entityTag: new EntityTagHeaderValue(outcome.Value.ETag));
    }

    private static async Task<IResult> ContentAsync(string token, UseShareLink use, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await use.DownloadAsync(token, Password(http), Visitor(http), cancellationToken);
        if (outcome.Error is { } error)
        {
            return error.ToProblem();
        }

        http.Response.Headers.ContentSecurityPolicy = "sandbox";
        var (stored, download) = outcome.Value!;
        return download switch
        {
            Storage.BlobRedirect redirect => TypedResults.Redirect(redirect.Url.ToString()),
            Storage.BlobStream stream => TypedResults.Stream(stream.Content, stored.ContentType, stored.FileName),
            _ => throw new InvalidOperationException($"Unknown download kind {download.GetType().Name}."),
        };
    }

    private static string? Password(HttpContext http) =>
        http.Request.Headers[ShareLinks.PasswordHeader].ToString() is { Length: > 0 } password ? password : null;

    private static UseShareLink.Visitor Visitor(HttpContext http) => new(AuditActors.ClientAddress(http), http.Request.Headers.UserAgent.ToString());

    private static ShareLinkResponse ToResponse(this ShareLink link, DateTimeOffset now) => new(
        link.Id, link.DocumentId, link.CreatedBy, link.CreatedAt, link.ExpiresAt, link.PasswordHash is not null, link.MaxDownloads, link.Downloads,
        link.Opens, link.LastUsedAt, link.RevokedAt, link.RevokedBy,
        link.RevokedAt is not null ? ShareLinks.Revoked : link.ExpiresAt <= now ? ShareLinks.Expired
        : link.MaxDownloads is { } most && link.Downloads >= most ? ShareLinks.UsedUp : ShareLinks.Active);
}
