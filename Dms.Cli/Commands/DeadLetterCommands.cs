using System.CommandLine;
using Dms.Cli.Client;
using Dms.Cli.Output;

namespace Dms.Cli.Commands;

/// <summary><c>dms dlq list|show|redrive|purge</c>: the runbook's "messages in dead letter queue".</summary>
public static class DeadLetterCommands
{
    public static Command Create()
    {
        var id = new Argument<string>("dead-letter-id") { Description = "The dead letter's id (from 'dms dlq list')." };
        var optionalId = new Argument<string?>("dead-letter-id") { Description = "One dead letter's id.", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Every dead letter." };
        var limit = new Option<int>("--limit") { Description = "At most this many (1 to 1000).", DefaultValueFactory = _ => 100 };
        return new Command("dlq", "Jobs that gave up: review the error, fix the cause, then redrive or purge.").With(
            new Command("list", "Dead letters: document, tenant, error, attempts and when.").With(limit).WithBody(async (parse, context, token) =>
            {
                var letters = await context.Api.GetAsync($"api/v1/admin/dead-letters?limit={parse.GetValue(limit)}", token);
                context.Printer.Print(letters, () =>
                {
                    Printer.Table(letters.AsArray(),
                        ("Id", l => Printer.Text(l["id"])), ("Document", l => Printer.Text(l["documentId"])), ("Tenant", l => Printer.Text(l["tenantId"])),
                        ("Attempts", l => Printer.Text(l["attempts"])), ("Dead-lettered", l => Printer.Text(l["deadLetteredAt"])), ("Error", l => Printer.Text(l["error"])));
                    Printer.Line($"{letters.AsArray().Count} dead letters.");
                });
            }),
            new Command("show", "One dead letter with its whole error.").With(id).WithBody(async (parse, context, token) =>
            {
                var letters = await context.Api.GetAsync("api/v1/admin/dead-letters?limit=1000", token);
                var letter = letters.AsArray().FirstOrDefault(l => Printer.Text(l?["id"]) == parse.GetValue(id))
                    ?? throw new CliException($"There is no dead letter {parse.GetValue(id)}.");
                context.Printer.Print(letter, () => Printer.Fields(
                    ("Id", Printer.Text(letter["id"])), ("Document", Printer.Text(letter["documentId"])), ("Tenant", Printer.Text(letter["tenantId"])),
                    ("Version", Printer.Text(letter["version"])), ("Attempts", Printer.Text(letter["attempts"])),
                    ("Dead-lettered", Printer.Text(letter["deadLetteredAt"])), ("Error", Printer.Text(letter["error"]))));
            }),
            Change("redrive", "Puts dead letters back on the queue (one, or --all).", optionalId, all, redrive: true),
            Change("purge", "Deletes dead letters (one, or --all); their documents stay failed.", optionalId, all, redrive: false));
    }

    private static Command Change(string name, string description, Argument<string?> id, Option<bool> all, bool redrive) =>
        new Command(name, description).With(id, all).WithBody(async (parse, context, token) =>
        {
            var one = parse.GetValue(id);
            if (one is null == !parse.GetValue(all))
            {
                throw new CliException($"Name one dead letter, or --all.", ExitCodes.UsageError);
            }

            var path = one is null ? "api/v1/admin/dead-letters" : $"api/v1/admin/dead-letters/{Uri.EscapeDataString(one)}";
            var answer = redrive
                ? await context.Api.PostAsync($"{path}/redrive", null, token)
                : await context.Api.DeleteAsync(path, token);
            context.Printer.Print(answer, () => Printer.Line($"{(redrive ? "Redrove" : "Purged")} {answer["count"]} dead letters."));
        });
}
