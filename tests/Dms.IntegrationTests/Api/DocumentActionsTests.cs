using System.Net;
using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Api;

/// <summary>
/// The rules a client renders instead of deciding: what each caller may do with a document (<c>actions</c>), and the
/// bulk route that tags or trashes many at once, each on its own, never reaching another tenant's documents.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DocumentActionsTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Each_caller_is_offered_what_their_role_and_the_documents_status_allow()
    {
        var id = (await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(1000))).GetProperty("document").GetProperty("id").GetGuid();

        Assert.Empty(await ActionsAsync(_scenario.ViewerA, id));
        // The editor added it: they own it, and say who else may see it.
        Assert.Equal([DocumentActions.Edit, DocumentActions.NewVersion, DocumentActions.Trash, DocumentActions.Permissions], await ActionsAsync(_scenario.EditorA, id));
        Assert.Equal([DocumentActions.Edit, DocumentActions.NewVersion, DocumentActions.Trash, DocumentActions.Purge, DocumentActions.Permissions], await ActionsAsync(_scenario.AdminA, id));

        (await new DmsApiClient(_scenario.EditorA).TrashAsync(id, Cancellation)).Take();
        Assert.Equal([DocumentActions.Restore], await ActionsAsync(_scenario.EditorA, id));
        Assert.Equal([DocumentActions.Restore, DocumentActions.Purge], await ActionsAsync(_scenario.AdminA, id));

        // The operator repairs through the operator routes: restore and purge, never an edit.
        var seenByOperator = (await new DmsApiClient(_scenario.Operator).AdminDocumentAsync(id, Cancellation)).Take().Document;
        Assert.Equal([DocumentActions.Restore, DocumentActions.Purge], seenByOperator.Actions);
        Assert.False(seenByOperator.Previewable, "A document that is not ready has no page images to show.");
    }

    [Fact]
    public async Task Bulk_tagging_tags_the_callers_documents_and_finds_none_of_another_tenants()
    {
        var mine = new[] { await CreateAsync(_scenario.EditorA), await CreateAsync(_scenario.EditorA) };
        var theirs = await CreateAsync(_scenario.EditorB);
        var unknown = Guid.NewGuid();

        var answer = (await new DmsApiClient(_scenario.EditorA).BulkAsync(new BulkRequest(BulkActions.Tag, [.. mine, theirs, unknown], ["Urgent"]), Cancellation)).Take();

        Assert.Equal((2, 2), (answer.Succeeded, answer.Refused));
        Assert.Equal([.. mine, theirs, unknown], answer.Items.Select(i => i.Id));
        Assert.All(answer.Items.Take(2), item => Assert.Contains("urgent", item.Document!.Tags));
        Assert.All(answer.Items.Skip(2), item => Assert.Equal(((int)HttpStatusCode.NotFound, null), (item.Status, item.Document)));
        var untouched = (await new DmsApiClient(_scenario.EditorB).GetDocumentAsync(theirs, Cancellation)).Take();
        Assert.DoesNotContain("urgent", untouched.Tags);
    }

    [Fact]
    public async Task Bulk_trash_is_for_writers_and_within_the_limit()
    {
        var id = await CreateAsync(_scenario.EditorA);

        var byViewer = await new DmsApiClient(_scenario.ViewerA).BulkAsync(new BulkRequest(BulkActions.Trash, [id], null), Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.Problem?.Status);

        var tooMany = await new DmsApiClient(_scenario.EditorA).BulkAsync(
            new BulkRequest(BulkActions.Trash, [.. Enumerable.Range(0, ApiLimits.MaxIdsPerRequest + 1).Select(_ => Guid.NewGuid())], null), Cancellation);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-ids"), (tooMany.Problem?.Status, tooMany.Problem?.Name));

        var unknownAction = await new DmsApiClient(_scenario.EditorA).BulkAsync(new BulkRequest("purge", [id], null), Cancellation);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-action"), (unknownAction.Problem?.Status, unknownAction.Problem?.Name));

        var trashed = (await new DmsApiClient(_scenario.EditorA).BulkAsync(new BulkRequest(BulkActions.Trash, [id, id], null), Cancellation)).Take();
        Assert.Equal(DocumentStatuses.Deleted, Assert.Single(trashed.Items).Document!.Status);
    }

    private static async Task<Guid> CreateAsync(HttpClient client) =>
        (await ApiScenario.CreateDocumentAsync(client, ApiScenario.RandomBytes(1000))).GetProperty("document").GetProperty("id").GetGuid();

    private static async Task<IReadOnlyList<string>> ActionsAsync(HttpClient client, Guid id) =>
        (await new DmsApiClient(client).GetDocumentAsync(id, Cancellation)).Take().Actions;
}
