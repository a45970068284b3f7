using System.CommandLine;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Contracts.Http;

namespace Dms.Cli.Commands;

/// <summary><c>dms dlq list|show|redrive|purge</c>: the runbook's "messages in dead letter queue".</summary>
public static class DeadLetterCommands
{
    /// <summary>As many as the API lists at once: <c>show</c> finds its letter among them.</summary>
    private const int MostListed = 1000;

    public static Command Create()
    {
        var id = new Argument<string>("dead-letter-id") { Description = "The dead letter's id (from 'dms dlq list')." };
        var optionalId = new Argument<string?>("dead-letter-id") { Description = "One dead letter's id.", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Every dead letter." };
        var limit = new Option<int>("--limit") { Description = $"At most this many (1 to {MostListed}).", DefaultValueFactory = _ => 100 };
        return new Command("dlq", "Jobs that gave up: review the error, fix the cause, then redrive or purge.").With(
            new Command("list", "Dead letters: document, tenant, error, attempts and when.").With(limit).WithBody(async (parse, context, token) =>
            {
                var letters = await context.Api.CallAsync(api => api.DeadLettersAsync(parse.GetValue(limit), token));
                context.Printer.Print(letters, () =>
                {
                    Printer.Table(letters,
                        ("Id", l => l.Id), ("Document", l => Printer.Text(l.DocumentId)), ("Tenant", l => Printer.Text(l.TenantId)),
                        ("Attempts", l => Printer.Text(l.Attempts)), ("Dead-lettered", l => Printer.Text(l.DeadLetteredAt)), ("Error", l => Printer.Text(l.Error)));
                    Printer.Line($"{letters.Count} dead letters.");
                });
            }),
            new Command("show", "One dead letter with its whole error.").With(id).WithBody(async (parse, context, token) =>
            {
                var letters = await context.Api.CallAsync(api => api.DeadLettersAsync(MostListed, token));
                var letter = letters.FirstOrDefault(l => l.Id == parse.GetValue(id)) ?? throw new CliException($"There is no dead letter {parse.GetValue(id)}.");
                context.Printer.Print(letter, () => Show(letter));
            }),
            Change("redrive", "Puts dead letters back on the queue (one, or --all).", optionalId, all, redrive: true),
            Change("purge", "Deletes dead letters (one, or --all); their documents stay failed.", optionalId, all, redrive: false));
    }

    private static void Show(DeadLetterResponse letter) => Printer.Fields(
        ("Id", letter.Id), ("Document", Printer.Text(letter.DocumentId)), ("Tenant", Printer.Text(letter.TenantId)),
        ("Version", Printer.Text(letter.Version)), ("Attempts", Printer.Text(letter.Attempts)),
        ("Dead-lettered", Printer.Text(letter.DeadLetteredAt)), ("Error", Printer.Text(letter.Error)));

    private static Command Change(string name, string description, Argument<string?> id, Option<bool> all, bool redrive) =>
        new Command(name, description).With(id, all).WithBody(async (parse, context, token) =>
        {
            var one = parse.GetValue(id);
            if (one is null == !parse.GetValue(all))
            {
                throw new CliException($"Name one dead letter, or --all.", ExitCodes.UsageError);
            }

            var answer = await context.Api.CallAsync(api => redrive ? api.RedriveAsync(one, token) : api.PurgeDeadLettersAsync(one, token));
            context.Printer.Print(answer, () => Printer.Line($"{(redrive ? "Redrove" : "Purged")} {answer.Count} dead letters."));
        });
}
