using System.CommandLine;
using Dms.Cli.Output;
using Dms.Contracts.Http;

namespace Dms.Cli.Commands;

/// <summary><c>dms documents show|reprocess|restore|delete</c>: the runbook's document tasks, by id, in any tenant.</summary>
public static class DocumentCommands
{
    public static Command Create()
    {
        var id = new Argument<Guid>("document-id") { Description = "The document's id." };
        var permanent = new Option<bool>("--permanent") { Description = "Remove it for good: versions, bytes, text and index entry (cannot be undone)." };
        return new Command("documents", "Look at and repair one document of any tenant.").With(
            new Command("show", "The document and what each pipeline step did.").With(id).WithBody(async (parse, context, token) =>
            {
                var answer = await context.Api.CallAsync(api => api.AdminDocumentAsync(parse.GetValue(id), token));
                context.Printer.Print(answer, () =>
                {
                    Show(answer.Document);
                    Printer.Table(answer.Processing,
                        ("Step", s => s.Step), ("Outcome", s => s.Outcome), ("Attempt", s => Printer.Text(s.Attempt)),
                        ("ms", s => Printer.Text(s.DurationMs)), ("Detail", s => Printer.Text(s.Detail)), ("Error", s => Printer.Text(s.Error)));
                });
            }),
            Action("reprocess", "Runs the pipeline again (a ready, failed or quarantined document).", id),
            Action("restore", "Brings the document back from the trash.", id),
            new Command("delete", "Moves the document to the trash; --permanent deletes it for good.").With(id, permanent).WithBody(async (parse, context, token) =>
            {
                var answer = await context.Api.CallAsync(api => api.AdminDeleteDocumentAsync(parse.GetValue(id), parse.GetValue(permanent), token));
                context.Printer.Print(answer ?? (object)new { }, () =>
                {
                    if (answer is null)
                    {
                        Printer.Line($"Document {parse.GetValue(id)} deleted for good.");
                    }
                    else
                    {
                        Show(answer);
                    }
                });
            }));
    }

    private static Command Action(string name, string description, Argument<Guid> id) =>
        new Command(name, description).With(id).WithBody(async (parse, context, token) =>
        {
            var document = await context.Api.CallAsync(api => api.AdminDocumentActionAsync(parse.GetValue(id), name, token));
            context.Printer.Print(document, () => Show(document));
        });

    private static void Show(DocumentResponse document) => Printer.Fields(
        ("Id", Printer.Text(document.Id)), ("Title", document.Title), ("File", document.FileName),
        ("Type", document.ContentType), ("Size", Printer.Bytes(document.SizeBytes)), ("Status", document.Status),
        ("Failure", Printer.Text(document.FailureReason)), ("Version", Printer.Text(document.CurrentVersion)), ("Updated", Printer.Text(document.UpdatedAt)));
}
