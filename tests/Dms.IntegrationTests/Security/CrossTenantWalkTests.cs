using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// Every document route, walked on a document the worker has processed (a scanned PDF: scanned clean, OCR'd, with a
/// thumbnail and page images): at each step its own tenant is served (the positive control, so a route that fails
/// for everyone cannot pass as "hidden"), and another tenant's admin gets the very 404 a random id gets.
/// </summary>
public sealed class CrossTenantWalkTests(TemporaryPostgres postgres) : IClassFixture<TemporaryPostgres>, IAsyncLifetime
{
    private readonly TemporaryClamd _clamd = new();
    private ApiScenario _scenario = null!;
    private WorkerHost _worker = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _clamd.StartAsync();
        _scenario = await ApiScenario.StartAsync(postgres);
        _worker = WorkerHost.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _scenario.DisposeAsync();
        await _clamd.DisposeAsync();
    }

    [Fact]
    public async Task Another_tenant_gets_the_404_of_a_random_id_on_every_route_of_a_processed_document_its_own_tenant_is_served_on()
    {
        using var owner = _scenario.Api.CreateClient(TestTokens.For(_scenario.TenantA, Roles.Admin));
        using var other = _scenario.Api.CreateClient(TestTokens.For(_scenario.TenantB, Roles.Admin));
        var id = await PipelineDocuments.UploadAsync(_scenario, owner, await SampleDocuments.ScannedPdf("Scanned for the walk"), "walk.pdf", "application/pdf");
        await PipelineDocuments.WaitForStatusAsync(owner, id, ["ready"], TimeSpan.FromMinutes(1), () => _worker.Log);
        JsonElement? newVersion = null;

        // In an order the document survives: reads, then changes, then the trash and back.
        (string Route, HttpStatusCode[] Served, Func<Task>? Before)[] walk =
        [
            ("GET /api/v1/documents/{id:guid}", [HttpStatusCode.OK], null),
            ("GET /api/v1/documents/{id:guid}/content", [HttpStatusCode.OK], null),
            ("GET /api/v1/documents/{id:guid}/versions", [HttpStatusCode.OK], null),
            ("GET /api/v1/documents/{id:guid}/processing", [HttpStatusCode.OK], null),
            ("GET /api/v1/documents/{id:guid}/text", [HttpStatusCode.OK], null),
            ("GET /api/v1/documents/{id:guid}/thumbnail", [HttpStatusCode.OK], null),
            ("GET /api/v1/documents/{id:guid}/pages/{page:int}", [HttpStatusCode.OK, HttpStatusCode.Accepted], null),
            ("GET /api/v1/documents/{id:guid}/notes", [HttpStatusCode.OK], null),
            ("GET /api/v1/documents/{id:guid}/history", [HttpStatusCode.OK], null),
            ("GET /api/v1/documents/{id:guid}/holds", [HttpStatusCode.OK], null),
            ("GET /api/v1/documents/{id:guid}/permissions", [HttpStatusCode.OK], null),
            ("PUT /api/v1/documents/{id:guid}/permissions", [HttpStatusCode.OK], null),
            // Not flagged by a retention: the owner's answer is a 409, another tenant's the 404.
            ("POST /api/v1/documents/{id:guid}/retention/keep", [HttpStatusCode.Conflict], null),
            ("GET /api/v1/documents/{id:guid}/share-links", [HttpStatusCode.OK], null),
            ("POST /api/v1/documents/{id:guid}/share-links", [HttpStatusCode.Created], null),
            // The walk's link id is one that does not exist: the owner's answer is the link's 404, the other tenant's too.
            ("POST /api/v1/documents/{id:guid}/share-links/{linkId:guid}/revoke", [HttpStatusCode.NotFound], null),
            ("PATCH /api/v1/documents/{id:guid}", [HttpStatusCode.OK], null),
            ("POST /api/v1/documents/{id:guid}/notes", [HttpStatusCode.Created], null),
            // The walk's note id is one that does not exist: the owner's answer is the note's 404, the other tenant's too.
            ("DELETE /api/v1/documents/{id:guid}/notes/{noteId:guid}", [HttpStatusCode.NotFound], null),
            ("POST /api/v1/documents/{id:guid}/reprocess", [HttpStatusCode.OK], null),
            ("POST /api/v1/documents/{id:guid}/versions", [HttpStatusCode.Created],
                () => PipelineDocuments.WaitForStatusAsync(owner, id, ["ready"], TimeSpan.FromMinutes(1), () => _worker.Log)),
            ("POST /api/v1/documents/{id:guid}/complete", [HttpStatusCode.OK], async () =>
            {
                using var uploaded = await _scenario.UploadAsync(newVersion!.Value, new ByteArrayContent(ApiScenario.RandomBytes(10)));
                Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
            }),
            ("DELETE /api/v1/documents/{id:guid}", [HttpStatusCode.OK, HttpStatusCode.NoContent],
                () => PipelineDocuments.WaitForEndStateAsync(owner, id, TimeSpan.FromMinutes(1), () => _worker.Log)),
            ("POST /api/v1/documents/{id:guid}/restore", [HttpStatusCode.OK], null),
        ];
        // The catalogs' entries (types, correspondents, fields) are walked by DescribingTests with their own ids.
        var documentRoutes = ApiRoutes.All.Where(r => r.Template.StartsWith("/api/v1/documents/{id:guid}") && r.Access != Access.Operator).Select(r => $"{r.Method} {r.Template}");
        Assert.Equal(documentRoutes.Order(), walk.Select(w => w.Route).Order());

        var failures = new List<string>();
        foreach (var (name, served, before) in walk)
        {
            var route = ApiRoutes.All.Single(r => $"{r.Method} {r.Template}" == name);
            if (before is not null)
            {
                await before();
            }

            using var hidden = await other.SendAsync(route.Request(id, _scenario.TenantB, token: null), Cancellation);
            using var unknown = await other.SendAsync(route.Request(Guid.NewGuid(), _scenario.TenantB, token: null), Cancellation);
            var (hiddenProblem, unknownProblem) = (await ProblemAsync(hidden, id), await ProblemAsync(unknown, null));
            if (hidden.StatusCode != HttpStatusCode.NotFound || hiddenProblem != unknownProblem)
            {
                failures.Add($"{name} for another tenant: {(int)hidden.StatusCode} {hiddenProblem}; a random id: {(int)unknown.StatusCode} {unknownProblem}");
            }

            using var own = await owner.SendAsync(route.Request(id, _scenario.TenantA, token: null), Cancellation);
            if (!served.Contains(own.StatusCode))
            {
                failures.Add($"{name} for its own tenant: {(int)own.StatusCode} {await own.Content.ReadAsStringAsync(Cancellation)}");
            }
            else if (name == "POST /api/v1/documents/{id:guid}/versions")
            {
                newVersion = await own.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>What a 404 says, with the id it was asked about taken out: the same for a hidden document and a missing one.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response, Guid? id)
    {
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"(not a problem: {body})";
        }

        var problem = JsonDocument.Parse(body).RootElement;
        var said = string.Join(" | ", new[] { "type", "title", "status", "detail" }.Select(p => problem.TryGetProperty(p, out var value) ? value.ToString() : "-"));
        return id is { } asked ? said.Replace(asked.ToString(), "{id}") : System.Text.RegularExpressions.Regex.Replace(said, "[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "{id}");
    }
}
