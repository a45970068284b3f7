using System.CommandLine;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Contracts.Http;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms holds list|show|place|add|lift</c>: a tenant admin's legal holds. A held document cannot be trashed, purged
/// or lose a version until its holds are lifted.
/// </summary>
public static class HoldCommands
{
    public static Command Create()
    {
        var id = new Argument<Guid>("hold-id") { Description = "The hold's id (from 'dms holds list')." };
        var name = new Option<string>("--name") { Description = "What the hold is for (a matter, a case).", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why the documents must be kept.", Required = true };
        var documents = new Option<Guid[]>("--document") { Description = "A document to hold (repeat for more).", AllowMultipleArgumentsPerToken = true };
        var tag = new Option<string?>("--tag") { Description = "Every document with this tag." };
        var type = new Option<Guid?>("--document-type") { Description = "Every document of this type (its id)." };
        var correspondent = new Option<Guid?>("--correspondent") { Description = "Every document of this correspondent (its id)." };

        HoldRequest Request(ParseResult parse, string? holdName, string? holdReason)
        {
            var ids = parse.GetValue(documents) ?? [];
            var filter = parse.GetValue(tag) is null && parse.GetValue(type) is null && parse.GetValue(correspondent) is null
                ? null
                : new HoldFilter(parse.GetValue(tag), parse.GetValue(type), parse.GetValue(correspondent));
            if ((ids.Length == 0) == (filter is null))
            {
                throw new CliException("Name the documents: --document (repeated), or a filter (--tag, --document-type, --correspondent), not both.", ExitCodes.UsageError);
            }

            return new HoldRequest(holdName, holdReason, ids.Length == 0 ? null : [.. ids], filter);
        }

        return new Command("holds", "Legal holds: documents nobody can trash, purge or change the versions of until the hold is lifted.").With(
            new Command("list", "The tenant's holds, in force first.").WithBody(async (_, context, token) =>
            {
                var holds = await context.Api.CallAsync(api => api.HoldsAsync(token));
                context.Printer.Print(holds, () => Printer.Table(holds,
                    ("Id", h => Printer.Text(h.Id)), ("Name", h => h.Name), ("Documents", h => Printer.Text(h.Documents)),
                    ("Placed", h => $"{Printer.Text(h.PlacedAt)} by {h.PlacedBy}"), ("Lifted", h => h.LiftedAt is null ? "in force" : $"{Printer.Text(h.LiftedAt)} by {h.LiftedBy}")));
            }),
            new Command("show", "One hold and the documents it covers.").With(id).WithBody(async (parse, context, token) =>
            {
                var hold = await context.Api.CallAsync(api => api.HoldAsync(parse.GetValue(id), token));
                context.Printer.Print(hold, () =>
                {
                    Show(hold);
                    foreach (var document in hold.DocumentIds ?? [])
                    {
                        Printer.Line(Printer.Text(document));
                    }
                });
            }),
            new Command("place", "Places a hold on documents (by id, or every one a filter matches).").With(name, reason, documents, tag, type, correspondent)
                .WithBody(async (parse, context, token) =>
                {
                    var hold = await context.Api.CallAsync(api => api.PlaceHoldAsync(null, Request(parse, parse.GetValue(name), parse.GetValue(reason)), token));
                    context.Printer.Print(hold, () => Show(hold));
                }),
            new Command("add", "Adds documents to a hold in force.").With(id, documents, tag, type, correspondent).WithBody(async (parse, context, token) =>
            {
                var hold = await context.Api.CallAsync(api => api.PlaceHoldAsync(parse.GetValue(id), Request(parse, null, null), token));
                context.Printer.Print(hold, () => Show(hold));
            }),
            new Command("lift", "Lifts a hold: its documents can be trashed and purged again.").With(id).WithBody(async (parse, context, token) =>
            {
                var hold = await context.Api.CallAsync(api => api.LiftHoldAsync(parse.GetValue(id), token));
                context.Printer.Print(hold, () => Show(hold));
            }));
    }

    private static void Show(HoldResponse hold) => Printer.Fields(
        ("Id", Printer.Text(hold.Id)), ("Name", hold.Name), ("Reason", hold.Reason), ("Documents", Printer.Text(hold.Documents)),
        ("Placed", $"{Printer.Text(hold.PlacedAt)} by {hold.PlacedBy}"), ("Lifted", hold.LiftedAt is null ? "in force" : $"{Printer.Text(hold.LiftedAt)} by {hold.LiftedBy}"));
}
