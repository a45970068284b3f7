using System.CommandLine;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Contracts.Http;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms groups list|create|rename|delete|add|remove</c> (a tenant admin's groups) and <c>dms permissions
/// show|share|unshare|owner|open</c> (a document's owner and grants, changed by its owner or an admin): a document shared with users or groups is
/// seen by them, its owner and the admins only.
/// </summary>
public static class GroupCommands
{
    public static Command Create()
    {
        var id = new Argument<Guid>("group-id") { Description = "The group's id (from 'dms groups list')." };
        var name = new Argument<string>("name") { Description = "The group's name." };
        var user = new Argument<string>("user-id") { Description = "A user's subject (from 'dms users list')." };

        return new Command("groups", "Groups of the tenant's users, to share documents with in one go.").With(
            new Command("list", "The tenant's groups and their members.").WithBody(async (_, context, token) =>
            {
                var groups = await context.Api.CallAsync(api => api.GroupsAsync(token));
                context.Printer.Print(groups, () => Printer.Table(groups,
                    ("Id", g => Printer.Text(g.Id)), ("Name", g => g.Name), ("Members", g => string.Join(", ", g.Members.Select(m => m.Name ?? m.UserId)))));
            }),
            new Command("create", "Creates a group.").With(name).WithBody(async (parse, context, token) =>
            {
                var group = await context.Api.CallAsync(api => api.SaveGroupAsync(null, new GroupRequest(parse.GetValue(name)), token));
                context.Printer.Print(group, () => Show(group));
            }),
            new Command("rename", "Renames a group.").With(id, name).WithBody(async (parse, context, token) =>
            {
                var group = await context.Api.CallAsync(api => api.SaveGroupAsync(parse.GetValue(id), new GroupRequest(parse.GetValue(name)), token));
                context.Printer.Print(group, () => Show(group));
            }),
            new Command("delete", "Deletes a group: its grants go; what it owned has no owner.").With(id).WithBody(async (parse, context, token) =>
            {
                await context.Api.CallAsync(api => api.DeleteGroupAsync(parse.GetValue(id), token));
                Printer.Line("Deleted.");
            }),
            new Command("add", "Adds a user of the tenant to a group.").With(id, user).WithBody(async (parse, context, token) =>
            {
                var group = await context.Api.CallAsync(api => api.AddGroupMemberAsync(parse.GetValue(id), parse.GetValue(user)!, token));
                context.Printer.Print(group, () => Show(group));
            }),
            new Command("remove", "Takes a user out of a group.").With(id, user).WithBody(async (parse, context, token) =>
            {
                var group = await context.Api.CallAsync(api => api.RemoveGroupMemberAsync(parse.GetValue(id), parse.GetValue(user)!, token));
                context.Printer.Print(group, () => Show(group));
            }));
    }

    public static Command Permissions()
    {
        var document = new Argument<Guid>("document-id") { Description = "The document's id." };
        var group = new Option<Guid?>("--group") { Description = "A group's id (from 'dms groups list')." };
        var user = new Option<string?>("--user") { Description = "A user's subject (from 'dms users list')." };
        var edit = new Option<bool>("--edit") { Description = "May change it as well as read it." };

        GrantItem Grantee(ParseResult parse, string access) => (parse.GetValue(group), parse.GetValue(user)) switch
        {
            ({ } g, null) => new GrantItem(null, g, access),
            (null, { } u) => new GrantItem(u, null, access),
            _ => throw new CliException("Name one grantee: --group or --user.", ExitCodes.UsageError),
        };

        // The grants as changed, and the owner as named (or as it was).
        async Task<PermissionsResponse> SetAsync(
            CommandContext context, Guid id, Func<PermissionsResponse, IEnumerable<GrantItem>> grants, CancellationToken token, GrantItem? owner = null)
        {
            var now = await context.Api.CallAsync(api => api.PermissionsAsync(id, token));
            return await context.Api.CallAsync(api => api.SetPermissionsAsync(id, new PermissionsRequest(
                owner is null ? now.OwnerUserId : owner.UserId, owner is null ? now.OwnerGroupId : owner.GroupId, [.. grants(now).Select(g => g with { Name = null })]), token));
        }

        return new Command("permissions", "Who owns a document and who else may see or change it.").With(
            new Command("show", "A document's owner and grants.").With(document).WithBody(async (parse, context, token) =>
            {
                var permissions = await context.Api.CallAsync(api => api.PermissionsAsync(parse.GetValue(document), token));
                context.Printer.Print(permissions, () => Show(permissions));
            }),
            new Command("share", "Shares a document with a user or a group (restricting it to them, its owner and the admins).").With(document, group, user, edit)
                .WithBody(async (parse, context, token) =>
                {
                    var grant = Grantee(parse, parse.GetValue(edit) ? GrantAccess.Edit : GrantAccess.View);
                    var permissions = await SetAsync(context, parse.GetValue(document),
                        now => now.Grants.Where(g => g.UserId != grant.UserId || g.GroupId != grant.GroupId).Append(grant), token);
                    context.Printer.Print(permissions, () => Show(permissions));
                }),
            new Command("unshare", "Stops sharing a document with a user or a group.").With(document, group, user).WithBody(async (parse, context, token) =>
            {
                var grant = Grantee(parse, GrantAccess.View);
                var permissions = await SetAsync(context, parse.GetValue(document), now => now.Grants.Where(g => g.UserId != grant.UserId || g.GroupId != grant.GroupId), token);
                context.Printer.Print(permissions, () => Show(permissions));
            }),
            new Command("owner", "Gives a document to a user or a group; who it is shared with stays.").With(document, group, user).WithBody(async (parse, context, token) =>
            {
                var owner = Grantee(parse, GrantAccess.View);
                var permissions = await SetAsync(context, parse.GetValue(document), now => now.Grants, token, owner);
                context.Printer.Print(permissions, () => Show(permissions));
            }),
            new Command("open", "Removes every grant: the whole tenant sees the document again.").With(document).WithBody(async (parse, context, token) =>
            {
                var permissions = await SetAsync(context, parse.GetValue(document), _ => [], token);
                context.Printer.Print(permissions, () => Show(permissions));
            }));
    }

    private static void Show(GroupResponse group) => Printer.Fields(
        ("Id", Printer.Text(group.Id)), ("Name", group.Name), ("Members", string.Join(", ", group.Members.Select(m => m.Name ?? m.UserId))));

    private static void Show(PermissionsResponse permissions) => Printer.Fields(
        ("Document", Printer.Text(permissions.DocumentId)), ("Owner", permissions.OwnerName ?? "nobody"),
        ("Seen by", permissions.Restricted ? "its owner, its grantees and the admins" : "the whole tenant"),
        ("Grants", string.Join(", ", permissions.Grants.Select(g => $"{g.Name ?? g.UserId ?? g.GroupId.ToString()} ({g.Access})"))));
}
