using System.CommandLine;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Contracts.Client;
using Dms.Contracts.Http;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms audit list|export|verify</c>: a tenant's audit trail for its admins (their own tenant) and operators
/// (<c>--tenant</c>): the latest events, every event as NDJSON or CSV, and the check of its hash chain.
/// </summary>
public static class AuditCommands
{
    public static Command Create()
    {
        var tenant = new Option<Guid?>("--tenant") { Description = "The tenant (operators); a tenant's admin gets their own." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Events at or after this time (ISO 8601)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Events at or before this time." };
        var action = new Option<string?>("--action") { Description = $"One action, or what comes before its dot: {string.Join(", ", AuditActions.All)}." };
        var actor = new Option<string?>("--actor") { Description = "One actor: their subject or e-mail address." };
        var document = new Option<Guid?>("--document") { Description = "One document's events." };
        var limit = new Option<int>("--limit") { Description = "At most this many (1 to 500).", DefaultValueFactory = _ => 50 };
        var format = new Option<string>("--format") { Description = "ndjson or csv.", DefaultValueFactory = _ => AuditFormats.Ndjson };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "The file to write (default: standard output)." };

        AuditQuery Query(ParseResult parse, int? size) => new(
            parse.GetValue(from), parse.GetValue(to), parse.GetValue(action), parse.GetValue(actor), parse.GetValue(document), Limit: size);

        return new Command("audit", "Who did what: a tenant's audit trail, its export and the check of its hash chain.").With(
            new Command("list", "The latest events, newest first.").With(tenant, from, to, action, actor, document, limit).WithBody(async (parse, context, token) =>
            {
                var page = await context.Api.CallAsync(api => api.AuditAsync(parse.GetValue(tenant), Query(parse, parse.GetValue(limit)), token));
                context.Printer.Print(page, () => Printer.Table(page.Events,
                    ("Id", e => Printer.Text(e.Id)), ("When", e => Printer.Text(e.OccurredAt)), ("Action", e => e.Action),
                    ("Actor", e => $"{e.ActorName} ({e.ActorKind})"), ("From", e => Printer.Text(e.ClientAddress)),
                    ("Document", e => Printer.Text(e.DocumentId)), ("Version", e => Printer.Text(e.Version)), ("Outcome", e => e.Outcome)));
            }),
            new Command("export", "Every event the filters name, as NDJSON or CSV.").With(tenant, from, to, action, actor, document, format, output)
                .WithBody(async (parse, context, token) =>
                {
                    var chosen = parse.GetValue(format)!;
                    if (chosen is not (AuditFormats.Ndjson or AuditFormats.Csv))
                    {
                        throw new CliException("--format must be ndjson or csv.", ExitCodes.UsageError);
                    }

                    var file = parse.GetValue(output);
                    await using var destination = file is null ? Console.OpenStandardOutput() : file.Create();
                    var written = await context.Api.CallAsync(api => api.ExportAuditAsync(parse.GetValue(tenant), Query(parse, null), chosen, destination, token));
                    if (file is not null)
                    {
                        Console.Error.WriteLine($"Wrote {written} bytes to {file.Name}.");
                    }
                }),
            new Command("verify", "Checks the tenant's hash chain: intact, or the first link that is not and why (exit code 1).").With(tenant)
                .WithBody(async (parse, context, token) =>
                {
                    var found = await context.Api.CallAsync(api => api.VerifyAuditAsync(parse.GetValue(tenant), token));
                    context.Printer.Print(found, () => Printer.Fields(
                        ("Tenant", Printer.Text(found.TenantId)), ("Intact", found.Intact ? "yes" : "NO"), ("Links checked", Printer.Text(found.Links)),
                        ("Not yet sealed", Printer.Text(found.Unsealed)), ("First broken link", Printer.Text(found.BrokenPosition)),
                        ("Its event", Printer.Text(found.BrokenEventId)), ("Problem", Printer.Text(found.Problem))));
                    if (!found.Intact)
                    {
                        throw new CliException(found.Problem ?? "The audit chain is broken.");
                    }
                }));
    }
}
