using System.CommandLine;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Contracts.Http;

namespace Dms.Cli.Commands;

/// <summary><c>dms share list|create|revoke</c>: a document's share links, for whoever may change it.</summary>
public static class ShareCommands
{
    public static Command Create()
    {
        var document = new Argument<Guid>("document-id") { Description = "The document's id." };
        var link = new Argument<Guid>("link-id") { Description = "The link's id (from 'dms share list')." };
        var days = new Option<int>("--days") { Description = "Days until the link stops working (the plan caps it).", Required = true };
        var downloads = new Option<int?>("--downloads") { Description = "How many downloads it allows (no limit when left out)." };
        var password = new Option<string?>("--password") { Description = "A password it asks for first." };

        return new Command("share", "Share links: a document shown without an account until the link expires, is used up or revoked.").With(
            new Command("list", "A document's share links, newest first.").With(document).WithBody(async (parse, context, token) =>
            {
                var links = await context.Api.CallAsync(api => api.ShareLinksAsync(parse.GetValue(document), token));
                context.Printer.Print(links, () => Printer.Table(links,
                    ("Id", l => Printer.Text(l.Id)), ("Created", l => $"{Printer.Text(l.CreatedAt)} by {l.CreatedBy}"), ("Expires", l => Printer.Text(l.ExpiresAt)),
                    ("Downloads", l => l.MaxDownloads is { } most ? $"{l.Downloads} of {most}" : Printer.Text(l.Downloads)), ("Status", l => l.Status)));
            }),
            new Command("create", "Creates a link and prints its token, once: the link is /s/TOKEN on the web app.").With(document, days, downloads, password)
                .WithBody(async (parse, context, token) =>
                {
                    var created = await context.Api.CallAsync(api => api.CreateShareLinkAsync(parse.GetValue(document),
                        new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(parse.GetValue(days)), parse.GetValue(password), parse.GetValue(downloads)), token));
                    context.Printer.Print(created, () => Printer.Fields(
                        ("Id", Printer.Text(created.Id)), ("Expires", Printer.Text(created.ExpiresAt)), ("Token", created.Token ?? ""), ("Path", $"/s/{created.Token}")));
                }),
            new Command("revoke", "Revokes a link: it answers 410 from then on.").With(document, link).WithBody(async (parse, context, token) =>
            {
                var revoked = await context.Api.CallAsync(api => api.RevokeShareLinkAsync(parse.GetValue(document), parse.GetValue(link), token));
                context.Printer.Print(revoked, () => Printer.Fields(("Id", Printer.Text(revoked.Id)), ("Status", revoked.Status)));
            }));
    }
}
