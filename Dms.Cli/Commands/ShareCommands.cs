using System.CommandLine;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Contracts.Http;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms share list|create|revoke</c>: a document's share links, for whoever may change it, or with <c>--view</c> a
/// saved view's, for whoever may change the view.
/// </summary>
public static class ShareCommands
{
    public static Command Create()
    {
        var shared = new Argument<Guid>("id") { Description = "The document's id, or the saved view's with --view." };
        var view = new Option<bool>("--view") { Description = "The id is a saved view's: its link shows the ready documents the view keeps that are restricted to no one." };
        var link = new Argument<Guid>("link-id") { Description = "The link's id (from 'dms share list')." };
        var days = new Option<int>("--days") { Description = "Days until the link stops working (the plan caps it).", Required = true };
        var downloads = new Option<int?>("--downloads") { Description = "How many downloads it allows (no limit when left out)." };
        var password = new Option<string?>("--password") { Description = "A password it asks for first." };

        return new Command("share", "Share links: a document, or a saved view's documents, shown without an account until the link expires, is used up or revoked.").With(
            new Command("list", "A document's (or view's) share links, newest first.").With(shared, view).WithBody(async (parse, context, token) =>
            {
                var links = await context.Api.CallAsync(api => api.ShareLinksAsync(Target(parse), token));
                context.Printer.Print(links, () => Printer.Table(links,
                    ("Id", l => Printer.Text(l.Id)), ("Created", l => $"{Printer.Text(l.CreatedAt)} by {l.CreatedBy}"), ("Expires", l => Printer.Text(l.ExpiresAt)),
                    ("Downloads", l => l.MaxDownloads is { } most ? $"{l.Downloads} of {most}" : Printer.Text(l.Downloads)), ("Status", l => l.Status)));
            }),
            new Command("create", "Creates a link and prints its token, once: the link is /s/TOKEN on the web app.").With(shared, view, days, downloads, password)
                .WithBody(async (parse, context, token) =>
                {
                    var created = await context.Api.CallAsync(api => api.CreateShareLinkAsync(Target(parse),
                        new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(parse.GetValue(days)), parse.GetValue(password), parse.GetValue(downloads)), token));
                    context.Printer.Print(created, () => Printer.Fields(
                        ("Id", Printer.Text(created.Id)), ("Expires", Printer.Text(created.ExpiresAt)), ("Token", created.Token ?? ""), ("Path", $"/s/{created.Token}")));
                }),
            new Command("revoke", "Revokes a link: it answers 410 from then on.").With(shared, view, link).WithBody(async (parse, context, token) =>
            {
                var revoked = await context.Api.CallAsync(api => api.RevokeShareLinkAsync(Target(parse), parse.GetValue(link), token));
                context.Printer.Print(revoked, () => Printer.Fields(("Id", Printer.Text(revoked.Id)), ("Status", revoked.Status)));
            }));

        ShareTarget Target(ParseResult parse) => parse.GetValue(view) ? ShareTarget.View(parse.GetValue(shared)) : ShareTarget.Document(parse.GetValue(shared));
    }
}
