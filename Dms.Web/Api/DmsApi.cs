using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;

namespace Dms.Web.Api;

/// <summary>A document as the API shows it (the fields the pages show).</summary>
public sealed record DocumentSummary(
    Guid Id, string Title, string FileName, string ContentType, long SizeBytes, string Status, string[] Tags, int CurrentVersion, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, string? FailureReason);

public sealed record DocumentPage(IReadOnlyList<DocumentSummary> Documents, string? NextCursor);

/// <param name="ScanVerdict">none, clean, infected or skipped: only a clean (or skipped) version can be downloaded.</param>
public sealed record DocumentVersion(int Version, string FileName, string ContentType, long SizeBytes, bool Uploaded, string ScanVerdict, DateTimeOffset CreatedAt);

public sealed record ProcessingStep(int Version, string Step, string Outcome, int Attempt, long DurationMs, string? Detail, string? Error, DateTimeOffset FinishedAt);

public sealed record DocumentText(int Version, string Text, int Pages, int OcrPages, DateTimeOffset ExtractedAt);

/// <param name="Snippets">HTML-safe by the API's contract: escaped text, the matched words in &lt;mark&gt;.</param>
public sealed record SearchHit(Guid DocumentId, string Title, string FileName, IReadOnlyList<string> Snippets, DateTimeOffset CreatedAt);

public sealed record SearchPage(
    long Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, long> TagFacets, IReadOnlyDictionary<string, long> ContentTypeFacets, string? NextCursor,
    bool TotalIsLowerBound);

public sealed record Tenant(Guid Id, string Name, string Plan, long StorageQuotaBytes, long UsedBytes, int RetentionDays);

/// <summary>Documents and bytes a tenant stores, by status.</summary>
public sealed record TenantUsage(Guid TenantId, string Name, long StorageQuotaBytes, long UsedBytes, int Documents, IReadOnlyDictionary<string, StatusUsage> ByStatus);

public sealed record StatusUsage(int Documents, long Bytes);

public sealed record OwnTenant(Tenant Tenant, TenantUsage Usage);

/// <summary>A tenant's name, plan, quota and retention as an operator sets them (null: unchanged).</summary>
public sealed record TenantChanges(string? Name, string? Plan, long? StorageQuotaBytes, int? RetentionDays);

/// <summary>A user just added (or reset), with the temporary password they replace at their next sign-in.</summary>
public sealed record NewUser(string Username, Guid TenantId, string Role, string TemporaryPassword);

/// <summary>A user of a tenant as the identity provider lists them.</summary>
public sealed record TenantUser(string Username, Guid TenantId, string Role, bool Enabled, bool MustChangePassword, DateTimeOffset CreatedAt);

/// <summary>One of the runbook's key metrics now: its value against target and alert line, and OK / WARN / ALERT.</summary>
public sealed record MetricStatus(string Name, double? Value, string Unit, string Target, string AlertAt, string State, string Detail);

public sealed record SystemStatus(DateTimeOffset MeasuredAt, int WindowMinutes, string State, IReadOnlyList<MetricStatus> Metrics);

/// <summary>A job the worker gave up on: which document, why, after how many attempts.</summary>
public sealed record DeadLetter(string Id, Guid TenantId, Guid DocumentId, int Version, int Attempts, string? Error, DateTimeOffset DeadLetteredAt);

/// <summary>How many an operator action touched.</summary>
public sealed record Counted(int Count);

/// <summary>The filters and order of the documents page, as the API's list takes them; <paramref name="Ids"/> picks given documents.</summary>
public sealed record DocumentFilter(
    string? Status = null, string? Tag = null, string? ContentType = null, string? Cursor = null, string? Order = null, IReadOnlyList<Guid>? Ids = null);

/// <summary>What the API answered: a value, or its problem's detail in the user's words and its status code.</summary>
public sealed record Answer<T>(T? Value, string? Problem, int Status = StatusCodes.Status200OK);

/// <summary>
/// The API, called with the signed-in user's token (found through service discovery as <c>api</c>): every page asks
/// it, and it alone decides what the user may see and do. A refusal (4xx) comes back as its ProblemDetails' detail for
/// the page to show; anything else is an error page.
/// </summary>
public sealed class DmsApi(HttpClient http)
{
    private const string Documents = "/api/v1/documents";
    private const string Admin = "/api/v1/admin";

    public Task<Answer<DocumentPage>> ListDocumentsAsync(DocumentFilter filter, CancellationToken cancellationToken) =>
        SendAsync<DocumentPage>(HttpMethod.Get, Addresses.With(Documents, ("status", filter.Status), ("tag", filter.Tag), ("contentType", filter.ContentType), ("cursor", filter.Cursor),
            ("order", filter.Order), ("ids", filter.Ids is null ? null : string.Join(',', filter.Ids)), ("limit", filter.Ids is null ? "50" : "100")), null, cancellationToken);

    public Task<Answer<SearchPage>> SearchAsync(string query, string? tag, string? contentType, string? cursor, CancellationToken cancellationToken) =>
        SendAsync<SearchPage>(HttpMethod.Get, Addresses.With("/api/v1/search", ("q", query), ("tag", tag), ("contentType", contentType), ("cursor", cursor), ("limit", "20")), null, cancellationToken);

    public Task<Answer<DocumentSummary>> GetDocumentAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DocumentSummary>(HttpMethod.Get, $"{Documents}/{id}", null, cancellationToken);

    public Task<Answer<List<DocumentVersion>>> VersionsAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<List<DocumentVersion>>(HttpMethod.Get, $"{Documents}/{id}/versions", null, cancellationToken);

    public Task<Answer<List<ProcessingStep>>> ProcessingAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<List<ProcessingStep>>(HttpMethod.Get, $"{Documents}/{id}/processing", null, cancellationToken);

    public Task<Answer<DocumentText>> TextAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DocumentText>(HttpMethod.Get, $"{Documents}/{id}/text", null, cancellationToken);

    public Task<Answer<DocumentSummary>> EditAsync(Guid id, string title, string[] tags, CancellationToken cancellationToken) =>
        SendAsync<DocumentSummary>(HttpMethod.Patch, $"{Documents}/{id}", new { title, tags }, cancellationToken);

    public Task<Answer<DocumentSummary>> TrashAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DocumentSummary>(HttpMethod.Delete, $"{Documents}/{id}", null, cancellationToken);

    public Task<Answer<DocumentSummary>> RestoreAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DocumentSummary>(HttpMethod.Post, $"{Documents}/{id}/restore", null, cancellationToken);

    public Task<Answer<JsonElement>> PurgeAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"{Documents}/{id}?permanent=true", null, cancellationToken);

    public Task<Answer<OwnTenant>> OwnTenantAsync(CancellationToken cancellationToken) =>
        SendAsync<OwnTenant>(HttpMethod.Get, "/api/v1/tenant", null, cancellationToken);

    /// <summary>A tenant's users: the caller's own tenant's (<paramref name="tenantId"/> null, a tenant's admin), or, for an operator, the tenant's given.</summary>
    public Task<Answer<List<TenantUser>>> UsersAsync(Guid? tenantId, CancellationToken cancellationToken) =>
        SendAsync<List<TenantUser>>(HttpMethod.Get, UsersOf(tenantId), null, cancellationToken);

    public Task<Answer<NewUser>> AddUserAsync(Guid? tenantId, string email, string role, CancellationToken cancellationToken) =>
        SendAsync<NewUser>(HttpMethod.Post, UsersOf(tenantId), new { email, role }, cancellationToken);

    /// <summary>Disables a user (they cannot sign in, their sign-ins end) or enables them again.</summary>
    public Task<Answer<JsonElement>> SetUserEnabledAsync(Guid? tenantId, string email, bool enabled, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"{UserOf(tenantId, email)}/{(enabled ? "enable" : "disable")}", null, cancellationToken);

    /// <summary>A new temporary password for a user who lost theirs (or their second factor); their sign-ins end.</summary>
    public Task<Answer<NewUser>> ResetUserAsync(Guid? tenantId, string email, CancellationToken cancellationToken) =>
        SendAsync<NewUser>(HttpMethod.Post, $"{UserOf(tenantId, email)}/reset", null, cancellationToken);

    public Task<Answer<JsonElement>> RemoveUserAsync(Guid? tenantId, string email, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, UserOf(tenantId, email), null, cancellationToken);

    public Task<Answer<List<TenantUsage>>> TenantsUsageAsync(CancellationToken cancellationToken) =>
        SendAsync<List<TenantUsage>>(HttpMethod.Get, $"{Admin}/tenants/usage", null, cancellationToken);

    public Task<Answer<TenantUsage>> TenantUsageAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<TenantUsage>(HttpMethod.Get, $"{Admin}/tenants/{id}/usage", null, cancellationToken);

    public Task<Answer<List<Tenant>>> TenantsAsync(CancellationToken cancellationToken) =>
        SendAsync<List<Tenant>>(HttpMethod.Get, $"{Admin}/tenants", null, cancellationToken);

    public Task<Answer<Tenant>> TenantAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<Tenant>(HttpMethod.Get, $"{Admin}/tenants/{id}", null, cancellationToken);

    public Task<Answer<Tenant>> CreateTenantAsync(TenantChanges tenant, CancellationToken cancellationToken) =>
        SendAsync<Tenant>(HttpMethod.Post, $"{Admin}/tenants", tenant, cancellationToken);

    public Task<Answer<Tenant>> UpdateTenantAsync(Guid id, TenantChanges changes, CancellationToken cancellationToken) =>
        SendAsync<Tenant>(HttpMethod.Patch, $"{Admin}/tenants/{id}", changes, cancellationToken);

    public Task<Answer<SystemStatus>> StatusAsync(CancellationToken cancellationToken) =>
        SendAsync<SystemStatus>(HttpMethod.Get, $"{Admin}/status", null, cancellationToken);

    public Task<Answer<List<DeadLetter>>> DeadLettersAsync(CancellationToken cancellationToken) =>
        SendAsync<List<DeadLetter>>(HttpMethod.Get, $"{Admin}/dead-letters", null, cancellationToken);

    /// <summary>Puts one dead letter (or, with no id, every one) back on the queue.</summary>
    public Task<Answer<Counted>> RedriveAsync(string? id, CancellationToken cancellationToken) =>
        SendAsync<Counted>(HttpMethod.Post, id is null ? $"{Admin}/dead-letters/redrive" : $"{Admin}/dead-letters/{Uri.EscapeDataString(id)}/redrive", null, cancellationToken);

    /// <summary>Deletes one dead letter (or, with no id, every one); their documents stay failed.</summary>
    public Task<Answer<Counted>> PurgeDeadLettersAsync(string? id, CancellationToken cancellationToken) =>
        SendAsync<Counted>(HttpMethod.Delete, id is null ? $"{Admin}/dead-letters" : $"{Admin}/dead-letters/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary>Creates a document (or, with <paramref name="documentId"/>, a new version of one): the API's answer as it is, with where to PUT the bytes.</summary>
    public Task<Answer<JsonElement>> StartUploadAsync(Guid? documentId, string fileName, string contentType, long sizeBytes, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(
            HttpMethod.Post, documentId is { } id ? $"{Documents}/{id}/versions" : Documents, new { fileName, contentType, sizeBytes }, cancellationToken);

    public Task<Answer<DocumentSummary>> CompleteUploadAsync(Guid id, JsonElement? parts, CancellationToken cancellationToken) =>
        SendAsync<DocumentSummary>(HttpMethod.Post, $"{Documents}/{id}/complete", new { parts }, cancellationToken);

    /// <summary>A version's bytes as the API answers them (a redirect to storage, or the bytes): the caller streams or follows it.</summary>
    public Task<HttpResponseMessage> ContentAsync(Guid id, int? version, CancellationToken cancellationToken) =>
        http.GetAsync(Addresses.With($"{Documents}/{id}/content", ("version", version?.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>A preview image (page 0: the thumbnail) as the API answers it, asking with the browser's entity tag so an unchanged image is a 304.</summary>
    public async Task<HttpResponseMessage> PreviewAsync(Guid id, int page, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page == 0 ? $"{Documents}/{id}/thumbnail" : $"{Documents}/{id}/pages/{page}");
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static string UsersOf(Guid? tenantId) => tenantId is { } id ? $"{Admin}/tenants/{id}/users" : "/api/v1/tenant/users";

    private static string UserOf(Guid? tenantId, string email) => $"{UsersOf(tenantId)}/{Uri.EscapeDataString(email)}";

    private async Task<Answer<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            return new Answer<T>(default, await ProblemAsync(response, cancellationToken), (int)response.StatusCode);
        }

        response.EnsureSuccessStatusCode();
        return response.Content.Headers.ContentLength == 0
            ? new Answer<T>(default, null)
            : new Answer<T>(await response.Content.ReadFromJsonAsync<T>(cancellationToken), null);
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var fallback = $"The request was refused ({(int)response.StatusCode}).";
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return fallback;
        }

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return problem.TryGetProperty("detail", out var detail) && detail.GetString() is { } text ? text
            : problem.TryGetProperty("title", out var title) && title.GetString() is { } heading ? heading
            : fallback;
    }
}

/// <summary>The typed API client, with the user's token on every call.</summary>
public static class DmsApiRegistration
{
    public static IHostApplicationBuilder AddDmsApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<UserToken>();
        builder.Services.AddHttpClient<DmsApi>(http => http.BaseAddress = new Uri(builder.Configuration["Dms:Web:ApiUrl"] ?? "http://api"))
            .AddHttpMessageHandler<UserToken>()
            // A download's redirect to storage is for the browser to follow, not the web server.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return builder;
    }

    /// <summary>Puts the user's ID token, from their cookie, on each call.</summary>
    internal sealed class UserToken(IHttpContextAccessor context) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (context.HttpContext is { } http && await http.GetTokenAsync("id_token") is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
