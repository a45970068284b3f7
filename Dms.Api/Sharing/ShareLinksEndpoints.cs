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
/// Share links: listed, created and revoked on a document by whoever may change it, and on a saved view by whoever may
/// change the view; used without an account under <c>/api/v1/shared/{token}</c> (what the link shows, a page's image,
/// the download of the clean current version; for a view's link, of one of its documents), each use in the
/// documents' history and every address limited to <see cref="ShareLinkOptions.RequestsPerSecond"/>.
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
        MapLinks(endpoints.MapGroup("/api/v1/documents/{id:guid}/share-links").WithTags("Documents"), ShareTarget.Document, "",
            "a document", "Shares a document by link (expiry required; optional password and number of downloads): the answer's token is shown once.");
        MapLinks(endpoints.MapGroup("/api/v1/saved-views/{id:guid}/share-links").WithTags("Describing"), ShareTarget.View, "View",
            "a saved view", "Shares a saved view by link (its owner; admins a shared view): whoever has it sees the ready documents the view keeps that are restricted to no one.");

        var shared = endpoints.MapGroup("/api/v1/shared/{token}").WithTags("Shared").AllowAnonymous().RequireRateLimiting(SharedLimit);
        shared.MapGet("/", (string token, string? cursor, UseShareLink use, HttpContext http, CancellationToken cancellationToken) =>
                OpenAsync(token, null, cursor, use, http, cancellationToken))
            .WithName("OpenShared")
            .WithSummary("What a share link shows, without an account (its password in X-Share-Password): a document, or a page of a view's documents (cursor). 404 unknown, 410 expired, revoked or used up, 403 without the right password.");
        shared.MapGet("/pages/{page:int}", (string token, int page, UseShareLink use, HttpContext http, CancellationToken cancellationToken) =>
                PageAsync(token, null, page, use, http, cancellationToken))
            .WithName("GetSharedPageImage").WithSummary("A page's image of a shared document.");
        shared.MapGet("/content", (string token, UseShareLink use, HttpContext http, CancellationToken cancellationToken) =>
                ContentAsync(token, null, use, http, cancellationToken))
            .WithName("GetSharedContent").DisableRequestTimeout()
            .WithSummary("The clean current version of a shared document, as an attachment: takes one of the link's downloads.");
        shared.MapGet("/documents/{documentId:guid}", (string token, Guid documentId, UseShareLink use, HttpContext http, CancellationToken cancellationToken) =>
                OpenAsync(token, documentId, null, use, http, cancellationToken))
            .WithName("OpenSharedViewDocument").WithSummary("One of a shared view's documents: what it is and how many pages it shows; 404 when the view does not show it (now).");
        shared.MapGet("/documents/{documentId:guid}/pages/{page:int}", (string token, Guid documentId, int page, UseShareLink use, HttpContext http, CancellationToken cancellationToken) =>
                PageAsync(token, documentId, page, use, http, cancellationToken))
            .WithName("GetSharedViewPageImage").WithSummary("A page's image of one of a shared view's documents.");
        shared.MapGet("/documents/{documentId:guid}/content", (string token, Guid documentId, UseShareLink use, HttpContext http, CancellationToken cancellationToken) =>
                ContentAsync(token, documentId, use, http, cancellationToken))
            .WithName("GetSharedViewContent").DisableRequestTimeout()
            .WithSummary("The clean current version of one of a shared view's documents, as an attachment: takes one of the link's downloads.");
        return endpoints;
    }

    /// <summary>The share links of a document or of a saved view (<paramref name="target"/> makes the route's id one): listed, created, revoked.</summary>
    private static void MapLinks(RouteGroupBuilder links, Func<Guid, ShareTarget> target, string kind, string what, string createSummary)
    {
        links.MapGet("/", (Guid id, Caller caller, ListShareLinks list, TimeProvider time, CancellationToken cancellationToken) =>
                ListAsync(target(id), caller, list, time, cancellationToken))
            .WithName($"List{kind}ShareLinks").RequireAuthorization(Policies.Read).WithSummary($"The share links of {what}, newest first, with their uses.");
        links.MapPost("/", (Guid id, ShareLinkRequest request, Caller caller, CreateShareLink create, TimeProvider time, CancellationToken cancellationToken) =>
                CreateAsync(target(id), request, caller, create, time, cancellationToken))
            .WithName($"Create{kind}ShareLink").RequireAuthorization(Policies.Write).WithSummary(createSummary);
        links.MapPost("/{linkId:guid}/revoke", (Guid id, Guid linkId, Caller caller, RevokeShareLink revoke, TimeProvider time, CancellationToken cancellationToken) =>
                RevokeAsync(target(id), linkId, caller, revoke, time, cancellationToken))
            .WithName($"Revoke{kind}ShareLink").RequireAuthorization(Policies.Write).WithSummary($"Revokes a share link of {what}: it answers 410 from then on.");
    }

    private static async Task<Results<Ok<List<ShareLinkResponse>>, ProblemHttpResult>> ListAsync(
        ShareTarget target, Caller caller, ListShareLinks list, TimeProvider time, CancellationToken cancellationToken) =>
        (await list.HandleAsync(caller.TenantId, target, caller.ViewOwner, cancellationToken)).ToOk(links => links.Select(l => l.ToResponse(time.GetUtcNow())).ToList());

    private static async Task<Results<Created<ShareLinkResponse>, ProblemHttpResult>> CreateAsync(
        ShareTarget target, ShareLinkRequest request, Caller caller, CreateShareLink create, TimeProvider time, CancellationToken cancellationToken) =>
        (await create.HandleAsync(caller.TenantId, target, caller.ViewOwner, new CreateShareLink.Command(request.ExpiresAt, request.Password, request.MaxDownloads), cancellationToken))
            .ToCreated(
                created => target.LinksPath,
                created => created.Link.ToResponse(time.GetUtcNow()) with { Token = created.Token });

    private static async Task<Results<Ok<ShareLinkResponse>, ProblemHttpResult>> RevokeAsync(
        ShareTarget target, Guid linkId, Caller caller, RevokeShareLink revoke, TimeProvider time, CancellationToken cancellationToken) =>
        (await revoke.HandleAsync(caller.TenantId, target, linkId, caller.ViewOwner, cancellationToken)).ToOk(link => link.ToResponse(time.GetUtcNow()));

    private static async Task<Results<Ok<SharedResponse>, ProblemHttpResult>> OpenAsync(
        string token, Guid? documentId, string? cursor, UseShareLink use, HttpContext http, CancellationToken cancellationToken)
    {
        var opened = await use.OpenAsync(token, Password(http), documentId, Visitor(http), cancellationToken);
        if (opened.Error is { } refused)
        {
            return refused.ToProblem();
        }

        var shared = opened.Value!;
        var downloadsLeft = shared.Link.MaxDownloads - shared.Link.Downloads;
        if (shared.Document is { } document)
        {
            return TypedResults.Ok(new SharedResponse(shared.Link.ExpiresAt, downloadsLeft, Shown(document, shared.Pages, shared.View is null ? null : document.Id)));
        }

        var page = await use.ListAsync(shared, cursor, cancellationToken);
        return page.ToOk(listed => new SharedResponse(shared.Link.ExpiresAt, downloadsLeft, null,
            new SharedView(shared.View!.Name, [.. listed.Documents.Select(d => Shown(d.Document, d.Pages, d.Document.Id))], listed.NextCursor)));
    }

    /// <summary>A shared document as the link shows it: its pages only once it is ready and of a type that has them.</summary>
    private static SharedDocument Shown(Dms.Documents.Document document, int pages, Guid? id) => new(
        document.Title, document.FileName, document.ContentType, document.SizeBytes,
        document.Status == Dms.Documents.DocumentStatus.Ready && Previews.PreviewTypes.Renders(document.ContentType) ? Math.Min(pages, ApiLimits.MaxPreviewPage) : 0,
        id);

    private static async Task<IResult> PageAsync(string token, Guid? documentId, int page, UseShareLink use, HttpContext http, CancellationToken cancellationToken)
    {
        if (page < 1)
        {
            return Error.Invalid("page", "page must be 1 or more: pages are counted from 1.").ToProblem();
        }

        var outcome = await use.PageAsync(token, Password(http), documentId, page, Visitor(http), cancellationToken);
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

    private static async Task<IResult> ContentAsync(string token, Guid? documentId, UseShareLink use, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await use.DownloadAsync(token, Password(http), documentId, Visitor(http), cancellationToken);
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
        link.Id, link.DocumentId, link.ViewId, link.CreatedBy, link.CreatedAt, link.ExpiresAt, link.PasswordHash is not null, link.MaxDownloads, link.Downloads,
        link.Opens, link.LastUsedAt, link.RevokedAt, link.RevokedBy,
        link.RevokedAt is not null ? ShareLinks.Revoked : link.ExpiresAt <= now ? ShareLinks.Expired
        : link.MaxDownloads is { } most && link.Downloads >= most ? ShareLinks.UsedUp : ShareLinks.Active);
}
