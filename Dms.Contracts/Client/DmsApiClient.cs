using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Contracts.Http;

namespace Dms.Contracts.Client;

/// <summary>The filters and order of the documents list; <see cref="Ids"/> picks given documents (up to <see cref="ApiLimits.MaxIdsPerRequest"/>).</summary>
public sealed record DocumentListQuery(
    string? Status = null, string? Tag = null, string? ContentType = null, string? Cursor = null, string? Order = null, IReadOnlyList<Guid>? Ids = null,
    int? Limit = null, DateTimeOffset? CreatedFrom = null, DateTimeOffset? CreatedTo = null,
    Guid? DocumentTypeId = null, Guid? CorrespondentId = null, DateOnly? DocumentDateFrom = null, DateOnly? DocumentDateTo = null,
    IReadOnlyList<string>? Fields = null, bool RetentionDue = false);

/// <summary>A search: words (quotes make a phrase, -word excludes, or gives either) and filters.</summary>
public sealed record SearchQuery(
    string Query, string? Tag = null, string? ContentType = null, string? Cursor = null, int? Limit = null, string? Status = null,
    DateTimeOffset? CreatedFrom = null, DateTimeOffset? CreatedTo = null, Guid? DocumentTypeId = null, Guid? CorrespondentId = null,
    IReadOnlyList<string>? Fields = null);

/// <summary>Which audit events to list: each filter narrows; <see cref="Before"/> is the last page's <c>nextBefore</c>.</summary>
public sealed record AuditQuery(
    DateTimeOffset? From = null, DateTimeOffset? To = null, string? Action = null, string? Actor = null, Guid? DocumentId = null,
    string? Outcome = null, long? Before = null, int? Limit = null)
{
    public IEnumerable<(string, string?)> Parameters() =>
    [
        ("from", Addresses.Time(From)), ("to", Addresses.Time(To)), ("action", Action), ("actor", Actor), ("document", DocumentId?.ToString()),
        ("outcome", Outcome), ("before", Before?.ToString(CultureInfo.InvariantCulture)), ("limit", Addresses.Number(Limit)),
    ];
}

/// <summary>
/// The Dms API over an <see cref="HttpClient"/> whose base address is the API and whose handlers put the caller's
/// token on each request: the one client the web app, the CLI, the benchmarks and the tests call it with. A refusal
/// (4xx) is an <see cref="ApiAnswer{T}"/> with its problem; a failure (5xx) throws <see cref="ApiFailedException"/>.
/// </summary>
public sealed class DmsApiClient(HttpClient http)
{
    /// <summary>How the API writes JSON: camelCase names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Documents = "api/v1/documents";
    private const string Admin = "api/v1/admin";
    private const string DocumentTypes = "api/v1/document-types";
    private const string Correspondents = "api/v1/correspondents";
    private const string CustomFields = "api/v1/custom-fields";
    private const string SavedViews = "api/v1/saved-views";
    private const string Holds = "api/v1/holds";
    private const string Groups = "api/v1/groups";

    // Documents

    public Task<ApiAnswer<DocumentListResponse>> ListDocumentsAsync(DocumentListQuery query, CancellationToken cancellationToken) =>
        SendAsync<DocumentListResponse>(HttpMethod.Get, Addresses.With(Documents, [("status", query.Status), ("tag", query.Tag), ("contentType", query.ContentType),
            ("createdFrom", Addresses.Time(query.CreatedFrom)), ("createdTo", Addresses.Time(query.CreatedTo)), ("cursor", query.Cursor), ("order", query.Order),
            ("ids", query.Ids is null ? null : string.Join(',', query.Ids)), ("limit", Addresses.Number(query.Limit)),
            ("documentType", query.DocumentTypeId?.ToString()), ("correspondent", query.CorrespondentId?.ToString()),
            ("documentDateFrom", Addresses.Date(query.DocumentDateFrom)), ("documentDateTo", Addresses.Date(query.DocumentDateTo)),
            ("retention", query.RetentionDue ? "due" : null),
            .. (query.Fields ?? []).Select(f => ("field", (string?)f))]), null, cancellationToken);

    // What describes documents

    /// <param name="counts">With how many documents use each (it reads them all: for the pages that show it).</param>
    public Task<ApiAnswer<List<DocumentTypeResponse>>> DocumentTypesAsync(CancellationToken cancellationToken, bool counts = false) =>
        SendAsync<List<DocumentTypeResponse>>(HttpMethod.Get, Counting(DocumentTypes, counts), null, cancellationToken);

    /// <summary>Adds a document type (no <paramref name="id"/>) or changes one (admins).</summary>
    public Task<ApiAnswer<DocumentTypeResponse>> SaveDocumentTypeAsync(Guid? id, DocumentTypeRequest request, CancellationToken cancellationToken) =>
        SendAsync<DocumentTypeResponse>(id is null ? HttpMethod.Post : HttpMethod.Patch, Entry(DocumentTypes, id), request, cancellationToken);

    public Task<ApiAnswer<bool>> DeleteDocumentTypeAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Delete, Entry(DocumentTypes, id), null, cancellationToken);

    public Task<ApiAnswer<List<CorrespondentResponse>>> CorrespondentsAsync(CancellationToken cancellationToken, bool counts = false) =>
        SendAsync<List<CorrespondentResponse>>(HttpMethod.Get, Counting(Correspondents, counts), null, cancellationToken);

    /// <summary>Adds a correspondent (no <paramref name="id"/>) or renames one.</summary>
    public Task<ApiAnswer<CorrespondentResponse>> SaveCorrespondentAsync(Guid? id, CorrespondentRequest request, CancellationToken cancellationToken) =>
        SendAsync<CorrespondentResponse>(id is null ? HttpMethod.Post : HttpMethod.Patch, Entry(Correspondents, id), request, cancellationToken);

    public Task<ApiAnswer<bool>> DeleteCorrespondentAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Delete, Entry(Correspondents, id), null, cancellationToken);

    public Task<ApiAnswer<List<CustomFieldResponse>>> CustomFieldsAsync(CancellationToken cancellationToken, bool counts = false) =>
        SendAsync<List<CustomFieldResponse>>(HttpMethod.Get, Counting(CustomFields, counts), null, cancellationToken);

    /// <summary>Adds a custom field (no <paramref name="id"/>) or changes one, converting its values to a new data type (admins).</summary>
    public Task<ApiAnswer<CustomFieldResponse>> SaveCustomFieldAsync(Guid? id, CustomFieldRequest request, CancellationToken cancellationToken) =>
        SendAsync<CustomFieldResponse>(id is null ? HttpMethod.Post : HttpMethod.Patch, Entry(CustomFields, id), request, cancellationToken);

    public Task<ApiAnswer<bool>> DeleteCustomFieldAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Delete, Entry(CustomFields, id), null, cancellationToken);

    public Task<ApiAnswer<List<NoteResponse>>> NotesAsync(Guid documentId, CancellationToken cancellationToken) =>
        SendAsync<List<NoteResponse>>(HttpMethod.Get, $"{Documents}/{documentId}/notes", null, cancellationToken);

    public Task<ApiAnswer<NoteResponse>> AddNoteAsync(Guid documentId, NoteRequest request, CancellationToken cancellationToken) =>
        SendAsync<NoteResponse>(HttpMethod.Post, $"{Documents}/{documentId}/notes", request, cancellationToken);

    public Task<ApiAnswer<bool>> DeleteNoteAsync(Guid documentId, Guid noteId, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Delete, $"{Documents}/{documentId}/notes/{noteId}", null, cancellationToken);

    public Task<ApiAnswer<List<SavedViewResponse>>> SavedViewsAsync(CancellationToken cancellationToken) =>
        SendAsync<List<SavedViewResponse>>(HttpMethod.Get, SavedViews, null, cancellationToken);

    /// <summary>Saves a new view (no <paramref name="id"/>) or changes one.</summary>
    public Task<ApiAnswer<SavedViewResponse>> SaveViewAsync(Guid? id, SavedViewRequest request, CancellationToken cancellationToken) =>
        SendAsync<SavedViewResponse>(id is null ? HttpMethod.Post : HttpMethod.Patch, Entry(SavedViews, id), request, cancellationToken);

    public Task<ApiAnswer<bool>> DeleteViewAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Delete, Entry(SavedViews, id), null, cancellationToken);

    public Task<ApiAnswer<DocumentResponse>> GetDocumentAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DocumentResponse>(HttpMethod.Get, $"{Documents}/{id}", null, cancellationToken);

    /// <summary>Creates a document: the answer says where to send its bytes (<see cref="UploadResponse.Upload"/>), then <see cref="CompleteUploadAsync"/>.</summary>
    public Task<ApiAnswer<UploadResponse>> CreateDocumentAsync(CreateDocumentRequest request, CancellationToken cancellationToken, string? idempotencyKey = null) =>
        SendAsync<UploadResponse>(HttpMethod.Post, Documents, request, cancellationToken, idempotencyKey);

    public Task<ApiAnswer<UploadResponse>> AddVersionAsync(Guid id, NewVersionRequest request, CancellationToken cancellationToken) =>
        SendAsync<UploadResponse>(HttpMethod.Post, $"{Documents}/{id}/versions", request, cancellationToken);

    public Task<ApiAnswer<DocumentResponse>> CompleteUploadAsync(Guid id, CompleteRequest? request, CancellationToken cancellationToken) =>
        SendAsync<DocumentResponse>(HttpMethod.Post, $"{Documents}/{id}/complete", request ?? new CompleteRequest(null), cancellationToken);

    public Task<ApiAnswer<DocumentResponse>> EditDocumentAsync(Guid id, UpdateDocumentRequest request, CancellationToken cancellationToken) =>
        SendAsync<DocumentResponse>(HttpMethod.Patch, $"{Documents}/{id}", request, cancellationToken);

    /// <summary>Tags or trashes several documents (<see cref="BulkActions"/>): each item of the answer says how it went.</summary>
    public Task<ApiAnswer<BulkResponse>> BulkAsync(BulkRequest request, CancellationToken cancellationToken) =>
        SendAsync<BulkResponse>(HttpMethod.Post, $"{Documents}/bulk", request, cancellationToken);

    public Task<ApiAnswer<DocumentResponse>> TrashAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DocumentResponse>(HttpMethod.Delete, $"{Documents}/{id}", null, cancellationToken);

    /// <summary>Removes a document and its bytes for good (tenant admins).</summary>
    public Task<ApiAnswer<bool>> PurgeAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Delete, $"{Documents}/{id}?permanent=true", null, cancellationToken);

    public Task<ApiAnswer<DocumentResponse>> RestoreAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DocumentResponse>(HttpMethod.Post, $"{Documents}/{id}/restore", null, cancellationToken);

    public Task<ApiAnswer<DocumentResponse>> ReprocessAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DocumentResponse>(HttpMethod.Post, $"{Documents}/{id}/reprocess", null, cancellationToken);

    public Task<ApiAnswer<List<VersionResponse>>> VersionsAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<List<VersionResponse>>(HttpMethod.Get, $"{Documents}/{id}/versions", null, cancellationToken);

    public Task<ApiAnswer<List<ProcessingStepResponse>>> ProcessingAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<List<ProcessingStepResponse>>(HttpMethod.Get, $"{Documents}/{id}/processing", null, cancellationToken);

    public Task<ApiAnswer<DocumentTextResponse>> TextAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<DocumentTextResponse>(HttpMethod.Get, $"{Documents}/{id}/text", null, cancellationToken);

    /// <summary>A version's bytes as the API answers them (a redirect to storage, or the bytes): the caller streams or follows it, and disposes it.</summary>
    public Task<HttpResponseMessage> ContentAsync(Guid id, int? version, CancellationToken cancellationToken) =>
        http.GetAsync(Addresses.With($"{Documents}/{id}/content", ("version", Addresses.Number(version))), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>
    /// A page's image (page 0: the thumbnail) as the API answers it: 200 with a PNG, 304 when <paramref name="ifNoneMatch"/>
    /// is still its entity tag, 202 with Retry-After while it is rendered. The caller disposes it.
    /// </summary>
    public async Task<HttpResponseMessage> PreviewAsync(Guid id, int page, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page == 0 ? $"{Documents}/{id}/thumbnail" : $"{Documents}/{id}/pages/{page}");
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    // Search

    public Task<ApiAnswer<SearchResponse>> SearchAsync(SearchQuery query, CancellationToken cancellationToken) =>
        SendAsync<SearchResponse>(HttpMethod.Get, Addresses.With("api/v1/search", [("q", query.Query), ("tag", query.Tag), ("contentType", query.ContentType),
            ("status", query.Status), ("createdFrom", Addresses.Time(query.CreatedFrom)), ("createdTo", Addresses.Time(query.CreatedTo)), ("cursor", query.Cursor),
            ("limit", Addresses.Number(query.Limit)), ("documentType", query.DocumentTypeId?.ToString()), ("correspondent", query.CorrespondentId?.ToString()),
            .. (query.Fields ?? []).Select(f => ("field", (string?)f))]), null, cancellationToken);

    /// <summary>One batch of a rebuild of the search index (operators).</summary>
    public Task<ApiAnswer<ReindexProgress>> ReindexAsync(Guid? tenantId, Guid? cursor, int batchSize, CancellationToken cancellationToken) =>
        SendAsync<ReindexProgress>(HttpMethod.Post, Addresses.With($"{Admin}/search/reindex", ("batchSize", Addresses.Number(batchSize)),
            ("tenantId", tenantId?.ToString()), ("cursor", cursor?.ToString())), null, cancellationToken);

    // The caller's tenant and its users (tenant admins), or, with a tenant id, any tenant's (operators)

    public Task<ApiAnswer<OwnTenantResponse>> OwnTenantAsync(CancellationToken cancellationToken) =>
        SendAsync<OwnTenantResponse>(HttpMethod.Get, "api/v1/tenant", null, cancellationToken);

    public Task<ApiAnswer<List<UserResponse>>> UsersAsync(Guid? tenantId, CancellationToken cancellationToken) =>
        SendAsync<List<UserResponse>>(HttpMethod.Get, UsersOf(tenantId), null, cancellationToken);

    public Task<ApiAnswer<NewUserResponse>> AddUserAsync(Guid? tenantId, NewUserRequest request, CancellationToken cancellationToken) =>
        SendAsync<NewUserResponse>(HttpMethod.Post, UsersOf(tenantId), request, cancellationToken);

    /// <summary>Disables a user (they cannot sign in, their sign-ins end) or enables them again.</summary>
    public Task<ApiAnswer<bool>> SetUserEnabledAsync(Guid? tenantId, string email, bool enabled, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Post, $"{UserOf(tenantId, email)}/{(enabled ? "enable" : "disable")}", null, cancellationToken);

    /// <summary>A new temporary password for a user who lost theirs (or their second factor); their sign-ins end.</summary>
    public Task<ApiAnswer<NewUserResponse>> ResetUserAsync(Guid? tenantId, string email, CancellationToken cancellationToken) =>
        SendAsync<NewUserResponse>(HttpMethod.Post, $"{UserOf(tenantId, email)}/reset", null, cancellationToken);

    public Task<ApiAnswer<bool>> RemoveUserAsync(Guid? tenantId, string email, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Delete, UserOf(tenantId, email), null, cancellationToken);

    // Operators: tenants

    public Task<ApiAnswer<List<TenantResponse>>> TenantsAsync(CancellationToken cancellationToken) =>
        SendAsync<List<TenantResponse>>(HttpMethod.Get, $"{Admin}/tenants", null, cancellationToken);

    public Task<ApiAnswer<TenantResponse>> TenantAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<TenantResponse>(HttpMethod.Get, $"{Admin}/tenants/{id}", null, cancellationToken);

    public Task<ApiAnswer<TenantResponse>> CreateTenantAsync(TenantRequest tenant, CancellationToken cancellationToken) =>
        SendAsync<TenantResponse>(HttpMethod.Post, $"{Admin}/tenants", tenant, cancellationToken);

    public Task<ApiAnswer<TenantResponse>> UpdateTenantAsync(Guid id, TenantRequest changes, CancellationToken cancellationToken) =>
        SendAsync<TenantResponse>(HttpMethod.Patch, $"{Admin}/tenants/{id}", changes, cancellationToken);

    public Task<ApiAnswer<List<TenantUsageResponse>>> TenantsUsageAsync(CancellationToken cancellationToken) =>
        SendAsync<List<TenantUsageResponse>>(HttpMethod.Get, $"{Admin}/tenants/usage", null, cancellationToken);

    public Task<ApiAnswer<TenantUsageResponse>> TenantUsageAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<TenantUsageResponse>(HttpMethod.Get, $"{Admin}/tenants/{id}/usage", null, cancellationToken);

    // Operators: documents of any tenant, status, dead letters, info

    public Task<ApiAnswer<AdminDocumentResponse>> AdminDocumentAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<AdminDocumentResponse>(HttpMethod.Get, $"{Admin}/documents/{id}", null, cancellationToken);

    /// <summary><paramref name="action"/> is <c>reprocess</c> or <c>restore</c>.</summary>
    public Task<ApiAnswer<DocumentResponse>> AdminDocumentActionAsync(Guid id, string action, CancellationToken cancellationToken) =>
        SendAsync<DocumentResponse>(HttpMethod.Post, $"{Admin}/documents/{id}/{action}", null, cancellationToken);

    /// <summary>Moves a document of any tenant to the trash (its answer), or with <paramref name="permanent"/> deletes it for good (no answer).</summary>
    public Task<ApiAnswer<DocumentResponse>> AdminDeleteDocumentAsync(Guid id, bool permanent, CancellationToken cancellationToken) =>
        SendAsync<DocumentResponse>(HttpMethod.Delete, $"{Admin}/documents/{id}?permanent={(permanent ? "true" : "false")}", null, cancellationToken);

    public Task<ApiAnswer<StatusResponse>> StatusAsync(int? minutes, CancellationToken cancellationToken) =>
        SendAsync<StatusResponse>(HttpMethod.Get, Addresses.With($"{Admin}/status", ("minutes", Addresses.Number(minutes))), null, cancellationToken);

    public Task<ApiAnswer<List<DeadLetterResponse>>> DeadLettersAsync(int? limit, CancellationToken cancellationToken) =>
        SendAsync<List<DeadLetterResponse>>(HttpMethod.Get, Addresses.With($"{Admin}/dead-letters", ("limit", Addresses.Number(limit))), null, cancellationToken);

    /// <summary>Puts one dead letter (or, with no id, every one) back on the queue.</summary>
    public Task<ApiAnswer<CountResponse>> RedriveAsync(string? id, CancellationToken cancellationToken) =>
        SendAsync<CountResponse>(HttpMethod.Post, id is null ? $"{Admin}/dead-letters/redrive" : $"{Admin}/dead-letters/{Uri.EscapeDataString(id)}/redrive", null, cancellationToken);

    /// <summary>Deletes one dead letter (or, with no id, every one); their documents stay failed.</summary>
    public Task<ApiAnswer<CountResponse>> PurgeDeadLettersAsync(string? id, CancellationToken cancellationToken) =>
        SendAsync<CountResponse>(HttpMethod.Delete, id is null ? $"{Admin}/dead-letters" : $"{Admin}/dead-letters/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary>Where clients sign in; anonymous.</summary>
    public Task<ApiAnswer<InfoResponse>> InfoAsync(CancellationToken cancellationToken) =>
        SendAsync<InfoResponse>(HttpMethod.Get, "api/v1/info", null, cancellationToken);

    public Task<ApiAnswer<ServerInfoResponse>> ServerInfoAsync(CancellationToken cancellationToken) =>
        SendAsync<ServerInfoResponse>(HttpMethod.Get, $"{Admin}/info", null, cancellationToken);

    // The audit trail

    /// <summary>A page of the caller's tenant's events (tenant admins), or of a tenant's (operators, <paramref name="tenantId"/>).</summary>
    public Task<ApiAnswer<AuditPageResponse>> AuditAsync(Guid? tenantId, AuditQuery query, CancellationToken cancellationToken) =>
        SendAsync<AuditPageResponse>(HttpMethod.Get, Addresses.With(AuditOf(tenantId), [.. query.Parameters()]), null, cancellationToken);

    /// <summary>Writes every event the query names as NDJSON or CSV (<see cref="AuditFormats"/>) to <paramref name="destination"/> as it streams in; the bytes written.</summary>
    public async Task<ApiAnswer<long>> ExportAuditAsync(Guid? tenantId, AuditQuery query, string format, Stream destination, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Addresses.With(AuditOf(tenantId), [.. query.Parameters(), ("format", format)]));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            return new ApiAnswer<long>(0, await ProblemAsync(response, cancellationToken));
        }

        if (!response.IsSuccessStatusCode)
        {
            var problem = await ProblemAsync(response, cancellationToken);
            throw new ApiFailedException(response.StatusCode, $"{(int)response.StatusCode} {problem.Detail ?? problem.Title ?? response.ReasonPhrase}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var start = destination.CanSeek ? destination.Position : 0;
        await body.CopyToAsync(destination, cancellationToken);
        return new ApiAnswer<long>(destination.CanSeek ? destination.Position - start : -1, null);
    }

    /// <summary>Checks the tenant's hash chain (tenant admins: their own; operators: <paramref name="tenantId"/>'s).</summary>
    public Task<ApiAnswer<AuditVerificationResponse>> VerifyAuditAsync(Guid? tenantId, CancellationToken cancellationToken) =>
        SendAsync<AuditVerificationResponse>(HttpMethod.Post, $"{AuditOf(tenantId)}/verify", null, cancellationToken);

    /// <summary>What happened to one document, newest first (anyone who may read it).</summary>
    public Task<ApiAnswer<AuditPageResponse>> HistoryAsync(Guid documentId, long? before, CancellationToken cancellationToken) =>
        SendAsync<AuditPageResponse>(HttpMethod.Get, Addresses.With($"{Documents}/{documentId}/history", [("before", before?.ToString(CultureInfo.InvariantCulture))]), null, cancellationToken);

    // Legal holds

    public Task<ApiAnswer<List<HoldResponse>>> HoldsAsync(CancellationToken cancellationToken) =>
        SendAsync<List<HoldResponse>>(HttpMethod.Get, Holds, null, cancellationToken);

    public Task<ApiAnswer<HoldResponse>> HoldAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<HoldResponse>(HttpMethod.Get, $"{Holds}/{id}", null, cancellationToken);

    /// <summary>Places a new hold (no <paramref name="id"/>), or adds documents to hold <paramref name="id"/>.</summary>
    public Task<ApiAnswer<HoldResponse>> PlaceHoldAsync(Guid? id, HoldRequest request, CancellationToken cancellationToken) =>
        SendAsync<HoldResponse>(HttpMethod.Post, id is null ? Holds : $"{Holds}/{id}/documents", request, cancellationToken);

    public Task<ApiAnswer<HoldResponse>> LiftHoldAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<HoldResponse>(HttpMethod.Post, $"{Holds}/{id}/lift", null, cancellationToken);

    /// <summary>The names of the holds in force on a document.</summary>
    public Task<ApiAnswer<List<string>>> DocumentHoldsAsync(Guid documentId, CancellationToken cancellationToken) =>
        SendAsync<List<string>>(HttpMethod.Get, $"{Documents}/{documentId}/holds", null, cancellationToken);

    // Groups and a document's permissions

    public Task<ApiAnswer<List<GroupResponse>>> GroupsAsync(CancellationToken cancellationToken) =>
        SendAsync<List<GroupResponse>>(HttpMethod.Get, Groups, null, cancellationToken);

    /// <summary>Creates a group (no <paramref name="id"/>), or renames group <paramref name="id"/>.</summary>
    public Task<ApiAnswer<GroupResponse>> SaveGroupAsync(Guid? id, GroupRequest request, CancellationToken cancellationToken) =>
        SendAsync<GroupResponse>(id is null ? HttpMethod.Post : HttpMethod.Put, Entry(Groups, id), request, cancellationToken);

    public Task<ApiAnswer<bool>> DeleteGroupAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<bool>(HttpMethod.Delete, Entry(Groups, id), null, cancellationToken);

    public Task<ApiAnswer<GroupResponse>> AddGroupMemberAsync(Guid id, string userId, CancellationToken cancellationToken) =>
        SendAsync<GroupResponse>(HttpMethod.Post, $"{Groups}/{id}/members", new GroupMemberRequest(userId), cancellationToken);

    public Task<ApiAnswer<GroupResponse>> RemoveGroupMemberAsync(Guid id, string userId, CancellationToken cancellationToken) =>
        SendAsync<GroupResponse>(HttpMethod.Delete, $"{Groups}/{id}/members/{Uri.EscapeDataString(userId)}", null, cancellationToken);

    /// <summary>Keeps a document its type's retention flagged for review (admins).</summary>
    public Task<ApiAnswer<DocumentResponse>> KeepPastRetentionAsync(Guid documentId, CancellationToken cancellationToken) =>
        SendAsync<DocumentResponse>(HttpMethod.Post, $"{Documents}/{documentId}/retention/keep", null, cancellationToken);

    public Task<ApiAnswer<PermissionsResponse>> PermissionsAsync(Guid documentId, CancellationToken cancellationToken) =>
        SendAsync<PermissionsResponse>(HttpMethod.Get, $"{Documents}/{documentId}/permissions", null, cancellationToken);

    public Task<ApiAnswer<PermissionsResponse>> SetPermissionsAsync(Guid documentId, PermissionsRequest request, CancellationToken cancellationToken) =>
        SendAsync<PermissionsResponse>(HttpMethod.Put, $"{Documents}/{documentId}/permissions", request, cancellationToken);

    // Share links

    public Task<ApiAnswer<List<ShareLinkResponse>>> ShareLinksAsync(ShareTarget target, CancellationToken cancellationToken) =>
        SendAsync<List<ShareLinkResponse>>(HttpMethod.Get, target.LinksPath[1..], null, cancellationToken);

    public Task<ApiAnswer<ShareLinkResponse>> CreateShareLinkAsync(ShareTarget target, ShareLinkRequest request, CancellationToken cancellationToken) =>
        SendAsync<ShareLinkResponse>(HttpMethod.Post, target.LinksPath[1..], request, cancellationToken);

    public Task<ApiAnswer<ShareLinkResponse>> RevokeShareLinkAsync(ShareTarget target, Guid linkId, CancellationToken cancellationToken) =>
        SendAsync<ShareLinkResponse>(HttpMethod.Post, $"{target.LinksPath[1..]}/{linkId}/revoke", null, cancellationToken);

    /// <summary>
    /// What a share link shows, asked without an account (the password, when the link has one): the link itself (a
    /// cursor for a view's next page of documents), or one of a view's documents.
    /// </summary>
    public async Task<ApiAnswer<SharedResponse>> SharedAsync(string token, string? password, Guid? documentId, string? cursor, CancellationToken cancellationToken)
    {
        var path = documentId is { } id ? $"{Shared(token)}/documents/{id}" : cursor is null ? Shared(token) : $"{Shared(token)}?cursor={Uri.EscapeDataString(cursor)}";
        using var response = await SendSharedAsync(path, password, null, cancellationToken);
        return await AnswerAsync<SharedResponse>(response, cancellationToken);
    }

    /// <summary>
    /// A shared document's page image or its bytes, as the API answers them (<paramref name="what"/>: <c>content</c> or
    /// <c>pages/N</c>, under <c>documents/ID/</c> for one of a view's); the caller disposes it.
    /// </summary>
    public Task<HttpResponseMessage> SharedFileAsync(string token, string what, string? password, string? ifNoneMatch, CancellationToken cancellationToken) =>
        SendSharedAsync($"{Shared(token)}/{what}", password, ifNoneMatch, cancellationToken);

    private async Task<HttpResponseMessage> SendSharedAsync(string path, string? password, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (password is not null)
        {
            request.Headers.TryAddWithoutValidation(ShareLinks.PasswordHeader, password);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static string Shared(string token) => $"api/v1/shared/{Uri.EscapeDataString(token)}";

    private static string AuditOf(Guid? tenantId) => tenantId is { } id ? $"{Admin}/tenants/{id}/audit" : "api/v1/audit";

    private static string Counting(string catalog, bool counts) => counts ? $"{catalog}?counts=true" : catalog;

    private static string Entry(string catalog, Guid? id) => id is null ? catalog : $"{catalog}/{id}";

    private static string UsersOf(Guid? tenantId) => tenantId is { } id ? $"{Admin}/tenants/{id}/users" : "api/v1/tenant/users";

    private static string UserOf(Guid? tenantId, string email) => $"{UsersOf(tenantId)}/{Uri.EscapeDataString(email)}";

    /// <summary>
    /// The answer's value; with no body (204), <c>default</c>. The <see cref="bool"/> answers are of actions that answer
    /// nothing: <c>true</c> when they succeeded.
    /// </summary>
    private async Task<ApiAnswer<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return await AnswerAsync<T>(response, cancellationToken);
    }

    private static async Task<ApiAnswer<T>> AnswerAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            return new ApiAnswer<T>(default, await ProblemAsync(response, cancellationToken));
        }

        if (!response.IsSuccessStatusCode)
        {
            var problem = await ProblemAsync(response, cancellationToken);
            throw new ApiFailedException(response.StatusCode, $"{(int)response.StatusCode} {problem.Detail ?? problem.Title ?? response.ReasonPhrase}");
        }

        if (typeof(T) == typeof(bool))
        {
            return new ApiAnswer<T>((T)(object)true, null);
        }

        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return new ApiAnswer<T>(default, null);
        }

        try
        {
            return new ApiAnswer<T>(await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken), null);
        }
        catch (JsonException e)
        {
            throw new ApiFailedException(response.StatusCode, $"The API's answer to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} is not what the contract says: {e.Message}");
        }
    }

    private static async Task<ApiProblem> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                if (problem.ValueKind == JsonValueKind.Object)
                {
                    return new ApiProblem(response.StatusCode, Text(problem, "type"), Text(problem, "title"), Text(problem, "detail"));
                }
            }
            catch (JsonException)
            {
                // Not a problem the contract describes: the status alone says it.
            }
        }

        return new ApiProblem(response.StatusCode, null, null, null);
    }

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
