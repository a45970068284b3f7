using System.Globalization;
using System.Net;
using Dms.Contracts;
using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Describing;

/// <summary>
/// Notes on documents (who may remove one, their bounds) and saved views (their owner's, or shared by an admin),
/// neither reachable from another tenant.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NotesAndViewsTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private DmsApiClient As(Guid tenant, string role, string subject) =>
        new(_scenario.Api.CreateClient(TestTokens.Mint(tenant, [role], subject: subject, email: $"{subject}@example.com", extraClaims: TestTokens.SignedInWithSecondFactor)));

    [Fact]
    public async Task A_note_is_removed_by_its_author_or_an_admin_and_by_no_one_else()
    {
        var (ann, bob, admin) = (As(_scenario.TenantA, Roles.Editor, "ann"), As(_scenario.TenantA, Roles.Editor, "bob"), As(_scenario.TenantA, Roles.Admin, "boss"));
        var document = (await ann.CreateDocumentAsync(new CreateDocumentRequest("a.txt", "text/plain", 3, null, null, null), Cancellation)).Take().Document.Id;
        var first = (await ann.AddNoteAsync(document, new NoteRequest("  Paid by card on the 3rd.\nReceipt in the drawer.  "), Cancellation)).Take();
        var second = (await ann.AddNoteAsync(document, new NoteRequest("Second thought."), Cancellation)).Take();

        Assert.Equal(("Paid by card on the 3rd.\nReceipt in the drawer.", "ann@example.com", true), (first.Text, first.Author, first.Mine));
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteNoteAsync(document, first.Id, Cancellation)).Problem?.Status);
        var seenByBob = (await bob.NotesAsync(document, Cancellation)).Take();
        Assert.Equal([(first.Id, false), (second.Id, false)], seenByBob.Select(n => (n.Id, n.Mine)));
        (await ann.DeleteNoteAsync(document, first.Id, Cancellation)).Take();
        (await admin.DeleteNoteAsync(document, second.Id, Cancellation)).Take();
        Assert.Empty((await ann.NotesAsync(document, Cancellation)).Take());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("TOO_LONG")]
    [InlineData("bell\u0007")]
    public async Task A_note_that_is_empty_too_long_or_carries_control_characters_is_a_400(string text)
    {
        var editor = new DmsApiClient(_scenario.EditorA);
        var document = (await editor.CreateDocumentAsync(new CreateDocumentRequest("a.txt", "text/plain", 3, null, null, null), Cancellation)).Take().Document.Id;

        var answer = await editor.AddNoteAsync(document, new NoteRequest(text.Replace("TOO_LONG", new string('n', 10_001))), Cancellation);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid-text"), (answer.Problem?.Status, answer.Problem?.Name));
    }

    [Fact]
    public async Task Another_tenants_notes_answer_as_a_document_that_does_not_exist()
    {
        var editor = new DmsApiClient(_scenario.EditorA);
        var document = (await editor.CreateDocumentAsync(new CreateDocumentRequest("a.txt", "text/plain", 3, null, null, null), Cancellation)).Take().Document.Id;
        var note = (await editor.AddNoteAsync(document, new NoteRequest("Ours."), Cancellation)).Take();
        var other = As(_scenario.TenantB, Roles.Admin, "their-admin");

        Assert.Equal(HttpStatusCode.NotFound, (await other.NotesAsync(document, Cancellation)).Problem?.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.AddNoteAsync(document, new NoteRequest("Theirs."), Cancellation)).Problem?.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteNoteAsync(document, note.Id, Cancellation)).Problem?.Status);
        Assert.Equal([note.Id], (await editor.NotesAsync(document, Cancellation)).Take().Select(n => n.Id));
    }

    [Fact]
    public async Task A_view_is_its_owners_until_an_admin_shares_one_and_never_another_tenants()
    {
        var (ann, bob, admin) = (As(_scenario.TenantA, Roles.Viewer, "ann"), As(_scenario.TenantA, Roles.Editor, "bob"), As(_scenario.TenantA, Roles.Admin, "boss"));
        var field = (await admin.SaveCustomFieldAsync(null, new CustomFieldRequest("paid", FieldDataTypes.Boolean, null), Cancellation)).Take();
        var filters = new SavedViewFilters(Tag: "invoice", Fields: [$"{field.Id}:eq:false"]);

        var own = (await ann.SaveViewAsync(null, new SavedViewRequest("Unpaid", Filters: filters, Columns: ["title", $"field:{field.Id}"]), Cancellation)).Take();
        var refusedShare = await ann.SaveViewAsync(null, new SavedViewRequest("Everyone's", Shared: true), Cancellation);
        var shared = (await admin.SaveViewAsync(null, new SavedViewRequest("Team inbox", Shared: true, Sort: "oldest", OnStartPage: true), Cancellation)).Take();

        Assert.Equal(HttpStatusCode.Forbidden, refusedShare.Problem?.Status);
        Assert.Equal(filters.Tag, own.Filters.Tag);
        Assert.Equal(filters.Fields, own.Filters.Fields);
        Assert.Equal([("Team inbox", false), ("Unpaid", true)], (await ann.SavedViewsAsync(Cancellation)).Take().Select(v => (v.Name, v.Mine)));
        Assert.Equal(["Team inbox"], (await bob.SavedViewsAsync(Cancellation)).Take().Select(v => v.Name));
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.SaveViewAsync(shared.Id, new SavedViewRequest("Mine now"), Cancellation)).Problem?.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.SaveViewAsync(own.Id, new SavedViewRequest("Mine now"), Cancellation)).Problem?.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteViewAsync(own.Id, Cancellation)).Problem?.Status);

        var other = As(_scenario.TenantB, Roles.Admin, "boss");
        Assert.Empty((await other.SavedViewsAsync(Cancellation)).Take());
        Assert.Equal(HttpStatusCode.NotFound, (await other.SaveViewAsync(shared.Id, new SavedViewRequest("Ours"), Cancellation)).Problem?.Status);
        // A view names only its own tenant's fields.
        var borrowing = await other.SaveViewAsync(null, new SavedViewRequest("Borrowed", Filters: filters), Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, borrowing.Problem?.Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await other.SaveViewAsync(null, new SavedViewRequest("Borrowed", Columns: [$"field:{field.Id}"]), Cancellation)).Problem?.Status);
    }

    [Theory]
    [InlineData("sort", "sideways")]
    [InlineData("status", "lost")]
    [InlineData("columns", "colour")]
    [InlineData("fields", "paid:between:1")]
    [InlineData("added", "2027-01-02..2027-01-01")]
    public async Task A_view_that_names_what_the_list_does_not_take_is_a_400(string what, string value)
    {
        var ann = As(_scenario.TenantA, Roles.Editor, "ann");
        var request = what switch
        {
            "sort" => new SavedViewRequest("v", Sort: value),
            "status" => new SavedViewRequest("v", Filters: new SavedViewFilters(Status: value)),
            "columns" => new SavedViewRequest("v", Columns: [value]),
            "added" => new SavedViewRequest("v", Filters: new SavedViewFilters(
                AddedFrom: DateOnly.Parse(value.Split("..")[0], CultureInfo.InvariantCulture), AddedTo: DateOnly.Parse(value.Split("..")[1], CultureInfo.InvariantCulture))),
            _ => new SavedViewRequest("v", Filters: new SavedViewFilters(Fields: [value])),
        };

        Assert.Equal(HttpStatusCode.BadRequest, (await ann.SaveViewAsync(null, request, Cancellation)).Problem?.Status);
    }
}
