using System.CommandLine;
using Dms.Cli.Output;
using Dms.Contracts.Http;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms types</c>, <c>dms correspondents</c>, <c>dms fields</c>: what describes a tenant's documents, for its admins
/// and for scripts that set up a tenant (each lists with how many documents use an entry); <c>dms views</c>: the saved
/// views a user sees (to share one by link: <c>dms share create ID --view</c>).
/// </summary>
public static class DescribingCommands
{
    public static Command Views() =>
        new Command("views", "Saved views: named lists of documents (made on the web app's document list).").With(
            new Command("list", "Your own saved views and the tenant's shared ones.").WithBody(async (_, context, token) =>
            {
                var views = await context.Api.CallAsync(api => api.SavedViewsAsync(token));
                context.Printer.Print(views, () => Printer.Table(views,
                    ("Id", v => Printer.Text(v.Id)), ("Name", v => v.Name), ("Whose", v => v.Shared ? "the tenant's" : "yours")));
            }));

    public static Command Types()
    {
        var id = new Argument<Guid>("type-id") { Description = "The document type's id." };
        return new Command("types", "Document types: what documents are, and the fields they have.").With(
            new Command("list", "The tenant's document types.").WithBody(async (_, context, token) =>
            {
                var types = await context.Api.CallAsync(api => api.DocumentTypesAsync(token, counts: true));
                var named = (await context.Api.CallAsync(api => api.CustomFieldsAsync(token))).ToDictionary(f => f.Id, f => f.Name);
                context.Printer.Print(types, () => Printer.Table(types,
                    ("Id", t => Printer.Text(t.Id)), ("Name", t => t.Name), ("Documents", t => Printer.Text(t.DocumentCount)),
                    ("Fields", t => string.Join(", ", t.Fields.Select(f => (named.GetValueOrDefault(f.FieldId) ?? f.FieldId.ToString()) + (f.Required ? "!" : "")))),
                    ("Description", t => t.Description ?? "")));
            }),
            Save("add", "Adds a document type.", null),
            Save("update", "Changes a document type's name, description or fields (what is given).", id),
            new Command("delete", "Removes a document type; its documents keep their values.").With(id).WithBody(async (parse, context, token) =>
            {
                await context.Api.CallAsync(api => api.DeleteDocumentTypeAsync(parse.GetValue(id), token));
                context.Printer.Print(new { deleted = parse.GetValue(id) }, () => Printer.Line("Deleted."));
            }));

        Command Save(string verb, string summary, Argument<Guid>? existing)
        {
            var name = new Option<string?>("--name") { Description = "The type's name.", Required = existing is null };
            var description = new Option<string?>("--description") { Description = "What documents of the type are." };
            var fields = new Option<string[]>("--field")
            {
                Description = "A field of the type, by id or name; end it with ! when a document of the type must have it (repeat; replaces the type's fields).",
            };
            var command = new Command(verb, summary).With(name, description, fields);
            if (existing is not null)
            {
                command.Arguments.Add(existing);
            }

            return command.WithBody(async (parse, context, token) =>
            {
                var given = parse.GetValue(fields) is { Length: > 0 } written ? await FieldItemsAsync(context, written, token) : null;
                var type = await context.Api.CallAsync(api => api.SaveDocumentTypeAsync(
                    existing is null ? null : parse.GetValue(existing), new DocumentTypeRequest(parse.GetValue(name), parse.GetValue(description), given), token));
                context.Printer.Print(type, () => Printer.Fields(("Id", Printer.Text(type.Id)), ("Name", type.Name), ("Fields", Printer.Text(type.Fields.Count))));
            });
        }
    }

    public static Command Correspondents()
    {
        var id = new Argument<Guid>("correspondent-id") { Description = "The correspondent's id." };
        var name = new Argument<string>("name") { Description = "The correspondent's name." };
        return new Command("correspondents", "Correspondents: who documents are from or to.").With(
            new Command("list", "The tenant's correspondents.").WithBody(async (_, context, token) =>
            {
                var correspondents = await context.Api.CallAsync(api => api.CorrespondentsAsync(token, counts: true));
                context.Printer.Print(correspondents, () => Printer.Table(correspondents,
                    ("Id", c => Printer.Text(c.Id)), ("Name", c => c.Name), ("Documents", c => Printer.Text(c.DocumentCount))));
            }),
            new Command("add", "Adds a correspondent.").With(name).WithBody(async (parse, context, token) =>
                Print(context, await context.Api.CallAsync(api => api.SaveCorrespondentAsync(null, new CorrespondentRequest(parse.GetValue(name)), token)))),
            new Command("rename", "Renames a correspondent.").With(id, name).WithBody(async (parse, context, token) =>
                Print(context, await context.Api.CallAsync(api => api.SaveCorrespondentAsync(parse.GetValue(id), new CorrespondentRequest(parse.GetValue(name)), token)))),
            new Command("delete", "Removes a correspondent; its documents have none.").With(id).WithBody(async (parse, context, token) =>
            {
                await context.Api.CallAsync(api => api.DeleteCorrespondentAsync(parse.GetValue(id), token));
                context.Printer.Print(new { deleted = parse.GetValue(id) }, () => Printer.Line("Deleted."));
            }));

        static void Print(CommandContext context, CorrespondentResponse correspondent) =>
            context.Printer.Print(correspondent, () => Printer.Fields(("Id", Printer.Text(correspondent.Id)), ("Name", correspondent.Name)));
    }

    public static Command Fields()
    {
        var id = new Argument<Guid>("field-id") { Description = "The field's id." };
        return new Command("fields", "Custom fields: typed values documents carry.").With(
            new Command("list", "The tenant's custom fields.").WithBody(async (_, context, token) =>
            {
                var fields = await context.Api.CallAsync(api => api.CustomFieldsAsync(token, counts: true));
                context.Printer.Print(fields, () => Printer.Table(fields,
                    ("Id", f => Printer.Text(f.Id)), ("Name", f => f.Name), ("Type", f => f.DataType), ("Documents", f => Printer.Text(f.DocumentCount)),
                    ("Options", f => string.Join(", ", f.Options.Select(o => o.Label)))));
            }),
            Save("add", "Adds a custom field.", null),
            Save("update", "Renames a field, changes its options, or changes its type converting its values.", id),
            new Command("delete", "Removes a custom field and every value of it.").With(id).WithBody(async (parse, context, token) =>
            {
                await context.Api.CallAsync(api => api.DeleteCustomFieldAsync(parse.GetValue(id), token));
                context.Printer.Print(new { deleted = parse.GetValue(id) }, () => Printer.Line("Deleted."));
            }));

        Command Save(string verb, string summary, Argument<Guid>? existing)
        {
            var name = new Option<string?>("--name") { Description = "The field's name.", Required = existing is null };
            var type = new Option<string?>("--type") { Description = $"The data type: {string.Join(", ", FieldDataTypes.All)}.", Required = existing is null };
            type.AcceptOnlyFromAmong(FieldDataTypes.All);
            var options = new Option<string[]>("--option") { Description = "An option of a select (repeat; replaces the options, keeping those of the same label)." };
            var clear = new Option<bool>("--clear-unconvertible") { Description = "Remove the values that cannot be kept instead of refusing the change." };
            var command = new Command(verb, summary).With(name, type, options, clear);
            if (existing is not null)
            {
                command.Arguments.Add(existing);
            }

            return command.WithBody(async (parse, context, token) =>
            {
                var fieldId = existing is null ? (Guid?)null : parse.GetValue(existing);
                List<FieldOptionItem>? given = null;
                if (parse.GetValue(options) is { Length: > 0 } labels)
                {
                    // An option keeps its id (and so its values) when its label is given again, in any case.
                    var current = fieldId is { } known ? (await context.Api.CallAsync(api => api.CustomFieldsAsync(token))).FirstOrDefault(f => f.Id == known)?.Options ?? [] : [];
                    given = labels.Select(l => new FieldOptionItem(current.FirstOrDefault(o => string.Equals(o.Label, l, StringComparison.OrdinalIgnoreCase))?.Id, l)).ToList();
                }

                var field = await context.Api.CallAsync(api => api.SaveCustomFieldAsync(
                    fieldId, new CustomFieldRequest(parse.GetValue(name), parse.GetValue(type), given, parse.GetValue(clear) ? true : null), token));
                context.Printer.Print(field, () => Printer.Fields(("Id", Printer.Text(field.Id)), ("Name", field.Name), ("Type", field.DataType),
                    ("Options", string.Join(", ", field.Options.Select(o => o.Label)))));
            });
        }
    }

    /// <summary>A type's fields as written on the command line (a name or id, ! when required), resolved against the tenant's fields.</summary>
    private static async Task<List<DocumentTypeFieldItem>> FieldItemsAsync(CommandContext context, string[] written, CancellationToken token)
    {
        var fields = await context.Api.CallAsync(api => api.CustomFieldsAsync(token));
        return written.Select(w =>
        {
            var required = w.EndsWith('!');
            var named = w.TrimEnd('!');
            var field = fields.FirstOrDefault(f => f.Id.ToString() == named || string.Equals(f.Name, named, StringComparison.OrdinalIgnoreCase))
                ?? throw new Client.CliException($"There is no field '{named}' (see 'dms fields list').", Client.ExitCodes.UsageError);
            return new DocumentTypeFieldItem(field.Id, required);
        }).ToList();
    }
}
