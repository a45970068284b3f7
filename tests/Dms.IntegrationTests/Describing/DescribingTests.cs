using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Npgsql;

namespace Dms.IntegrationTests.Describing;

/// <summary>
/// Document types, correspondents and custom fields through the API: an accounts team's invoices found by what they
/// say, values checked by type, a field's type changed with its values converted, and none of it reachable from
/// another tenant — by the API, and by the database's own keys.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DescribingTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;
    private DmsApiClient _admin = null!;
    private DmsApiClient _editor = null!;
    private DmsApiClient _other = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));
        (_admin, _editor, _other) = (new DmsApiClient(_scenario.AdminA), new DmsApiClient(_scenario.EditorA), new DmsApiClient(_scenario.EditorB));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task The_unpaid_Acme_invoices_due_before_March_are_exactly_the_ones_listed()
    {
        var invoice = await InvoiceTypeAsync();
        var acme = (await _editor.SaveCorrespondentAsync(null, new CorrespondentRequest("Acme"), Cancellation)).Take();
        var globex = (await _editor.SaveCorrespondentAsync(null, new CorrespondentRequest("Globex"), Cancellation)).Take();

        var dueFebruary = await InvoiceAsync(invoice, acme.Id, "2027-02-10", paid: false, "EUR120.00");
        var dueLater = await InvoiceAsync(invoice, acme.Id, "2027-03-15", paid: false, "EUR80");
        var paid = await InvoiceAsync(invoice, acme.Id, "2027-01-20", paid: true, "EUR45.50");
        var otherCompany = await InvoiceAsync(invoice, globex.Id, "2027-02-01", paid: false, "USD10");
        var unpaidFromAcmeDueBeforeMarch = new DocumentListQuery(
            DocumentTypeId: invoice.Type.Id, CorrespondentId: acme.Id, Fields: ["paid:eq:false", "due:lt:2027-03-01"]);

        var listed = (await _editor.ListDocumentsAsync(unpaidFromAcmeDueBeforeMarch, Cancellation)).Take().Documents;

        Assert.Equal([dueFebruary], listed.Select(d => d.Id));
        var shown = listed.Single();
        Assert.Equal((invoice.Type.Id, acme.Id), (shown.DocumentTypeId, shown.CorrespondentId));
        var amount = shown.Fields!.Single(f => f.FieldId == invoice.Amount.Id);
        Assert.Equal((FieldDataTypes.Monetary, 120.00m, "EUR"), (amount.DataType, amount.Value.GetProperty("amount").GetDecimal(), amount.Value.GetProperty("currency").GetString()));
        // Ranges on amounts (in the value's currency), field names in any case, and "missing".
        Assert.Equal([dueLater, dueFebruary], await ListedAsync(new DocumentListQuery(Fields: ["AMOUNT:gte:EUR80", "Paid:eq:no"])));
        Assert.Equal([otherCompany, paid, dueLater, dueFebruary], await ListedAsync(new DocumentListQuery(DocumentTypeId: invoice.Type.Id)));
        Assert.Empty(await ListedAsync(new DocumentListQuery(DocumentTypeId: invoice.Type.Id, Fields: [$"{invoice.Due.Id}:missing"])));

        var types = (await _editor.DocumentTypesAsync(Cancellation, counts: true)).Take();
        Assert.Equal(4, types.Single(t => t.Id == invoice.Type.Id).DocumentCount);
        Assert.Null((await _editor.DocumentTypesAsync(Cancellation)).Take().Single().DocumentCount);
        var correspondents = (await _editor.CorrespondentsAsync(Cancellation, counts: true)).Take();
        Assert.Equal([("Acme", 3), ("Globex", 1)], correspondents.Select(c => (c.Name, c.DocumentCount ?? -1)));
    }

    [Fact]
    public async Task The_list_sorts_by_any_key_page_by_page_with_documents_without_the_value_last()
    {
        var invoice = await InvoiceTypeAsync();
        var priority = (await _admin.SaveCustomFieldAsync(null, new CustomFieldRequest(
            "priority", FieldDataTypes.Select, [new(null, "high"), new(null, "medium"), new(null, "low")]), Cancellation)).Take();
        var acme = (await _editor.SaveCorrespondentAsync(null, new CorrespondentRequest("Acme"), Cancellation)).Take();
        var globex = (await _editor.SaveCorrespondentAsync(null, new CorrespondentRequest("Globex"), Cancellation)).Take();
        var march = await InvoiceAsync(invoice, globex.Id, "2027-03-15", paid: false, "EUR80");
        var january = await InvoiceAsync(invoice, acme.Id, "2027-01-20", paid: true, "EUR45.50");
        var february = await InvoiceAsync(invoice, acme.Id, "2027-02-10", paid: false, "EUR120.00");
        var undated = await NewDocumentAsync();
        var alsoFebruary = await InvoiceAsync(invoice, globex.Id, "2027-02-10", paid: false, "EUR7");
        foreach (var (document, option) in new[] { (march, "low"), (january, "high"), (february, "medium"), (alsoFebruary, "high") })
        {
            await SetAsync(document, priority.Id, $"\"{priority.Options!.Single(o => o.Label == option).Id}\"");
        }

        // Equal dates keep the order of their ids; the document with no due date comes last, ascending or descending.
        var sameDay = new[] { february, alsoFebruary }.Order().ToArray();
        Assert.Equal([january, .. sameDay, march, undated], await AllPagesAsync("field:due"));
        Assert.Equal([march, .. sameDay.Reverse(), january, undated], await AllPagesAsync("-field:DUE"));
        Assert.Equal([february, march, january, alsoFebruary, undated], await AllPagesAsync("-field:amount"));
        // A page in a field's order shows each document whole, its values included.
        Assert.All((await _editor.ListDocumentsAsync(new DocumentListQuery(Order: "field:due", Limit: 3), Cancellation)).Take().Documents,
            listed => Assert.Contains(listed.Fields!, value => value.FieldId == invoice.Due.Id));
        // A choice sorts by the order of its options (high, medium, low), not by their names.
        var high = new[] { january, alsoFebruary }.Order().ToArray();
        Assert.Equal([.. high, february, march, undated], await AllPagesAsync($"field:{priority.Id}"));
        Assert.Equal([.. new[] { january, february }.Order(), .. new[] { march, alsoFebruary }.Order(), undated], await AllPagesAsync("correspondent"));
        foreach (var (document, date) in new[] { (january, new DateOnly(2026, 12, 1)), (march, new DateOnly(2026, 11, 3)) })
        {
            (await _editor.EditDocumentAsync(document, new UpdateDocumentRequest(null, null, DocumentDate: date), Cancellation)).Take();
        }

        Assert.Equal([january, march, .. new[] { february, alsoFebruary }.OrderDescending()],
            await AllPagesAsync("-date", new DocumentListQuery(DocumentTypeId: invoice.Type.Id)));
        // A choice filtered by "in" any of its options' names.
        Assert.Equal(new[] { march, february }.Order(), (await ListedAsync(new DocumentListQuery(Fields: ["priority:in:low,Medium"]))).Order());

        var refused = await _editor.ListDocumentsAsync(new DocumentListQuery(Order: "field:nothing"), Cancellation);
        Assert.Equal((HttpStatusCode.BadRequest, "There is no field 'nothing' to sort by."), (refused.Problem!.Status, refused.Problem.Message));
        refused = await _editor.ListDocumentsAsync(new DocumentListQuery(Order: "price"), Cancellation);
        Assert.Contains("order 'price' is not one of", refused.Problem!.Message);
        var first = (await _editor.ListDocumentsAsync(new DocumentListQuery(Order: "title", Limit: 1), Cancellation)).Take();
        refused = await _editor.ListDocumentsAsync(new DocumentListQuery(Order: "-title", Cursor: first.NextCursor), Cancellation);
        Assert.Equal("cursor is not one this API gave out for this order.", refused.Problem!.Message);
    }

    [Fact]
    public async Task A_document_of_a_type_must_have_its_required_fields_and_a_removed_type_leaves_its_values()
    {
        var invoice = await InvoiceTypeAsync();
        var id = await NewDocumentAsync();

        var refused = await _editor.EditDocumentAsync(id, new UpdateDocumentRequest(null, null, DocumentTypeId: invoice.Type.Id), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Problem?.Status);
        Assert.Contains("'amount'", refused.Problem!.Detail);
        var described = (await _editor.EditDocumentAsync(id, new UpdateDocumentRequest(
            null, null, DocumentTypeId: invoice.Type.Id, DocumentDate: new DateOnly(2027, 1, 5),
            Fields: Values((invoice.Amount.Id, "\"CHF 99.95\""))), Cancellation)).Take();
        Assert.Equal((invoice.Type.Id, new DateOnly(2027, 1, 5)), (described.DocumentTypeId, described.DocumentDate));

        (await _admin.DeleteDocumentTypeAsync(invoice.Type.Id, Cancellation)).Take();

        var after = (await _editor.GetDocumentAsync(id, Cancellation)).Take();
        Assert.Null(after.DocumentTypeId);
        Assert.Equal([invoice.Amount.Id], after.Fields!.Select(f => f.FieldId));
        var cleared = (await _editor.EditDocumentAsync(id, new UpdateDocumentRequest(null, null, Clear: ["documentDate"], Fields: Values((invoice.Amount.Id, "null"))), Cancellation)).Take();
        Assert.Equal((null, 0), (cleared.DocumentDate, cleared.Fields!.Count));
    }

    [Theory]
    [InlineData("integer", "1e400")]
    [InlineData("integer", "9007199254740992")]
    [InlineData("integer", "1.5")]
    [InlineData("decimal", "\"12345678901234567890\"")]
    [InlineData("decimal", "0.0000001")]
    [InlineData("text", "\"a\\u0000b\"")]
    [InlineData("text", "\"two\\nlines\"")]
    [InlineData("text", "\"\\ud800\"")]
    [InlineData("long_text", "\"TEN_THOUSAND_AND_MORE\"")]
    [InlineData("date", "\"2027-02-30\"")]
    [InlineData("boolean", "\"yes\"")]
    [InlineData("url", "\"javascript:alert(1)\"")]
    [InlineData("monetary", "{\"amount\": 5, \"currency\": \"euro\"}")]
    [InlineData("select", "\"00000000-0000-0000-0000-000000000001\"")]
    [InlineData("multi_select", "[\"OPTION\", \"OPTION\"]")]
    [InlineData("document_link", "\"OTHER_TENANTS_DOCUMENT\"")]
    public async Task A_hostile_value_is_a_400_naming_the_field(string dataType, string json)
    {
        var field = (await _admin.SaveCustomFieldAsync(null, new CustomFieldRequest(
            "Hostile target", dataType, dataType.EndsWith("select") ? [new FieldOptionItem(null, "Only")] : null), Cancellation)).Take();
        var theirs = (await _other.CreateDocumentAsync(new CreateDocumentRequest("b.txt", "text/plain", 3, null, null, null), Cancellation)).Take().Document.Id;
        json = json.Replace("TEN_THOUSAND_AND_MORE", new string('x', 20_001)).Replace("OPTION", field.Options.FirstOrDefault()?.Id.ToString())
            .Replace("OTHER_TENANTS_DOCUMENT", theirs.ToString());
        var id = await NewDocumentAsync();

        // Written by hand: a client's serializer would refuse some of these before they left.
        using var body = new StringContent($"{{\"fields\": {{\"{field.Id}\": {json}}}}}", System.Text.Encoding.UTF8, "application/json");
        using var answer = await _scenario.EditorA.PatchAsync($"/api/v1/documents/{id}", body, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("'Hostile target'", (await answer.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("detail").GetString());
        Assert.Empty((await _editor.GetDocumentAsync(id, Cancellation)).Take().Fields!);
    }

    [Fact]
    public async Task Changing_a_fields_type_converts_its_values_and_refuses_to_lose_any_unless_told()
    {
        var reference = (await _admin.SaveCustomFieldAsync(null, new CustomFieldRequest("Reference", FieldDataTypes.Text, null), Cancellation)).Take();
        var (twelve, word) = (await NewDocumentAsync(), await NewDocumentAsync());
        await SetAsync(twelve, reference.Id, "\" 12 \"");
        await SetAsync(word, reference.Id, "\"abc\"");

        var refused = await _admin.SaveCustomFieldAsync(reference.Id, new CustomFieldRequest(null, FieldDataTypes.Integer, null), Cancellation);

        Assert.Equal(HttpStatusCode.Conflict, refused.Problem?.Status);
        Assert.Contains("1 of its 2 values", refused.Problem!.Detail);
        Assert.Equal("\" 12 \"", (await ValueAsync(twelve, reference.Id))?.GetRawText());
        var changed = (await _admin.SaveCustomFieldAsync(reference.Id, new CustomFieldRequest(null, FieldDataTypes.Integer, null, ClearUnconvertible: true), Cancellation)).Take();
        Assert.Equal(FieldDataTypes.Integer, changed.DataType);
        Assert.Equal(12, (await ValueAsync(twelve, reference.Id))?.GetInt64());
        Assert.Null(await ValueAsync(word, reference.Id));
        Assert.Equal([twelve], await ListedAsync(new DocumentListQuery(Fields: ["Reference:gt:11"])));

        // Back to text, then to a select whose options are the texts: each value becomes its option.
        (await _admin.SaveCustomFieldAsync(reference.Id, new CustomFieldRequest(null, FieldDataTypes.Text, null), Cancellation)).Take();
        var select = (await _admin.SaveCustomFieldAsync(reference.Id, new CustomFieldRequest(
            null, FieldDataTypes.Select, [new FieldOptionItem(null, "12"), new FieldOptionItem(null, "13")]), Cancellation)).Take();
        var option12 = select.Options.Single(o => o.Label == "12").Id!.Value;
        Assert.Equal(option12.ToString(), (await ValueAsync(twelve, reference.Id))?.GetString());

        // Renaming an option keeps its values; removing one in use is refused until told to clear.
        var renamed = (await _admin.SaveCustomFieldAsync(reference.Id, new CustomFieldRequest(
            null, null, [new FieldOptionItem(option12, "Twelve"), select.Options.Single(o => o.Label == "13")]), Cancellation)).Take();
        Assert.Equal(["Twelve", "13"], renamed.Options.Select(o => o.Label));
        Assert.Equal(option12.ToString(), (await ValueAsync(twelve, reference.Id))?.GetString());
        var removing = await _admin.SaveCustomFieldAsync(reference.Id, new CustomFieldRequest(null, null, [new FieldOptionItem(null, "Other")]), Cancellation);
        Assert.Equal(HttpStatusCode.Conflict, removing.Problem?.Status);
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_the_types_fields_correspondents_or_values_and_cannot_use_them()
    {
        var invoice = await InvoiceTypeAsync();
        var acme = (await _editor.SaveCorrespondentAsync(null, new CorrespondentRequest("Acme"), Cancellation)).Take();
        var mine = await InvoiceAsync(invoice, acme.Id, "2027-02-10", paid: false, "EUR1");
        var theirs = (await _other.CreateDocumentAsync(new CreateDocumentRequest("b.txt", "text/plain", 3, null, null, null), Cancellation)).Take().Document.Id;

        Assert.Empty((await _other.DocumentTypesAsync(Cancellation)).Take());
        Assert.Empty((await _other.CorrespondentsAsync(Cancellation)).Take());
        Assert.Empty((await _other.CustomFieldsAsync(Cancellation)).Take());
        Assert.Equal(HttpStatusCode.BadRequest, (await _other.ListDocumentsAsync(new DocumentListQuery(Fields: ["paid:eq:false"]), Cancellation)).Problem?.Status);
        Assert.Empty((await _other.ListDocumentsAsync(new DocumentListQuery(DocumentTypeId: invoice.Type.Id), Cancellation)).Take().Documents);
        foreach (var edit in new[]
        {
            new UpdateDocumentRequest(null, null, DocumentTypeId: invoice.Type.Id),
            new UpdateDocumentRequest(null, null, CorrespondentId: acme.Id),
            new UpdateDocumentRequest(null, null, Fields: Values((invoice.Paid.Id, "true"))),
        })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await _other.EditDocumentAsync(theirs, edit, Cancellation)).Problem?.Status);
        }

        // Changing or removing another tenant's entries answers as for entries that do not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await new DmsApiClient(_scenario.Api.CreateClient(TestTokens.For(_scenario.TenantB, Contracts.Roles.Admin)))
            .SaveCustomFieldAsync(invoice.Paid.Id, new CustomFieldRequest("Mine now", null, null), Cancellation)).Problem?.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _other.SaveCorrespondentAsync(acme.Id, new CorrespondentRequest("Mine now"), Cancellation)).Problem?.Status);
        Assert.Equal("Acme", (await _editor.CorrespondentsAsync(Cancellation)).Take().Single().Name);
        Assert.Equal(invoice.Type.Id, (await _editor.GetDocumentAsync(mine, Cancellation)).Take().DocumentTypeId);
    }

    [Fact]
    public async Task The_database_refuses_a_reference_to_another_tenants_type_even_from_its_owner()
    {
        var invoice = await InvoiceTypeAsync();
        var theirs = (await _other.CreateDocumentAsync(new CreateDocumentRequest("b.txt", "text/plain", 3, null, null, null), Cancellation)).Take().Document.Id;
        await using var connection = new NpgsqlConnection(_scenario.OwnerConnection);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand("UPDATE documents SET document_type_id = @type WHERE id = @document", connection);
        command.Parameters.AddWithValue("type", invoice.Type.Id);
        command.Parameters.AddWithValue("document", theirs);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Cancellation));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
    }

    private sealed record Invoice(DocumentTypeResponse Type, CustomFieldResponse Amount, CustomFieldResponse Due, CustomFieldResponse Paid);

    private async Task<Invoice> InvoiceTypeAsync()
    {
        var amount = (await _admin.SaveCustomFieldAsync(null, new CustomFieldRequest("amount", FieldDataTypes.Monetary, null), Cancellation)).Take();
        var due = (await _admin.SaveCustomFieldAsync(null, new CustomFieldRequest("due", FieldDataTypes.Date, null), Cancellation)).Take();
        var paid = (await _admin.SaveCustomFieldAsync(null, new CustomFieldRequest("paid", FieldDataTypes.Boolean, null), Cancellation)).Take();
        var type = (await _admin.SaveDocumentTypeAsync(null, new DocumentTypeRequest(
            "Invoice", "Bills we have to pay", [new(amount.Id, true), new(due.Id, false), new(paid.Id, false)]), Cancellation)).Take();
        return new Invoice(type, amount, due, paid);
    }

    private async Task<Guid> InvoiceAsync(Invoice invoice, Guid correspondent, string due, bool paid, string amount)
    {
        var id = await NewDocumentAsync();
        (await _editor.EditDocumentAsync(id, new UpdateDocumentRequest(
            null, null, invoice.Type.Id, correspondent, Fields: Values(
                (invoice.Due.Id, $"\"{due}\""), (invoice.Paid.Id, paid ? "true" : "false"), (invoice.Amount.Id, $"\"{amount}\""))), Cancellation)).Take();
        return id;
    }

    private async Task<Guid> NewDocumentAsync() =>
        (await _editor.CreateDocumentAsync(new CreateDocumentRequest("invoice.txt", "text/plain", 10, null, null, null), Cancellation)).Take().Document.Id;

    private async Task SetAsync(Guid document, Guid field, string json) =>
        (await _editor.EditDocumentAsync(document, new UpdateDocumentRequest(null, null, Fields: Values((field, json))), Cancellation)).Take();

    private async Task<JsonElement?> ValueAsync(Guid document, Guid field) =>
        (await _editor.GetDocumentAsync(document, Cancellation)).Take().Fields!.FirstOrDefault(f => f.FieldId == field)?.Value;

    /// <summary>Every document in <paramref name="order"/>, two to a page, following the cursors.</summary>
    private async Task<List<Guid>> AllPagesAsync(string order, DocumentListQuery? filters = null)
    {
        var (listed, cursor) = (new List<Guid>(), (string?)null);
        do
        {
            var page = (await _editor.ListDocumentsAsync((filters ?? new DocumentListQuery()) with { Order = order, Limit = 2, Cursor = cursor }, Cancellation)).Take();
            listed.AddRange(page.Documents.Select(d => d.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return listed;
    }

    private async Task<List<Guid>> ListedAsync(DocumentListQuery query) =>
        (await _editor.ListDocumentsAsync(query, Cancellation)).Take().Documents.Select(d => d.Id).ToList();

    private static Dictionary<Guid, JsonElement> Values(params (Guid Field, string Json)[] values) =>
        values.ToDictionary(v => v.Field, v => JsonDocument.Parse(v.Json).RootElement.Clone());
}
