using System.CommandLine;
using System.Text.Json.Nodes;
using Dms.Cli.Output;

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
                var answer = await context.Api.GetAsync($"api/v1/admin/documents/{parse.GetValue(id)}", token);
                context.Printer.Print(answer, () =>
                {
                    Show(answer["document"]!);
                    Printer.Table(answer["processing"]!.AsArray(),
                        ("Step", s => Printer.Text(s["step"])), ("Outcome", s => Printer.Text(s["outcome"])), ("Attempt", s => Printer.Text(s["attempt"])),
                        ("ms", s => Printer.Text(s["durationMs"])), ("Detail", s => Printer.Text(s["detail"])), ("Error", s => Printer.Text(s["error"])));
                });
            }),
            Action("reprocess", "Runs the pipeline again (a ready, failed or quarantined document).", id, "reprocess"),
            Action("restore", "Brings the document back from the trash.", id, "restore"),
            new Command("delete", "Moves the document to the trash; --permanent deletes it for good.").With(id, permanent).WithBody(async (parse, context, token) =>
            {
                var answer = await context.Api.DeleteAsync($"api/v1/admin/documents/{parse.GetValue(id)}?permanent={parse.GetValue(permanent).ToString().ToLowerInvariant()}", token);
                context.Printer.Print(answer, () =>
                {
                    if (parse.GetValue(permanent))
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

    private static Command Action(string name, string description, Argument<Guid> id, string path) =>
        new Command(name, description).With(id).WithBody(async (parse, context, token) =>
        {
            var document = await context.Api.PostAsync($"api/v1/admin/documents/{parse.GetValue(id)}/{path}", null, token);
            context.Printer.Print(document, () => Show(document));
        });

    private static void Show(JsonNode document) => Printer.Fields(
        ("Id", Printer.Text(document["id"])), ("Title", Printer.Text(document["title"])), ("File", Printer.Text(document["fileName"])),
        ("Type", Printer.Text(document["contentType"])), ("Size", Printer.Bytes(document["sizeBytes"])), ("Status", Printer.Text(document["status"])),
        ("Failure", Printer.Text(document["failureReason"])), ("Version", Printer.Text(document["currentVersion"])), ("Updated", Printer.Text(document["updatedAt"])));
}
