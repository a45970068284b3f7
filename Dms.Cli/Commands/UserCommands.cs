using System.CommandLine;
using System.Text.Json.Nodes;
using Dms.Cli.Output;
using Dms.Contracts;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms users list|add|disable|enable|reset|remove</c>: the runbook's user tasks, for a tenant's users in the identity
/// provider (Dms's own on one machine, Cognito on AWS).
/// </summary>
public static class UserCommands
{
    public static Command Create()
    {
        var tenant = new Option<Guid>("--tenant") { Description = "The tenant the user belongs to.", Required = true };
        var email = new Option<string>("--email") { Description = "The user's e-mail address, which is also their user name.", Required = true };
        var role = new Option<string>("--role") { Description = "viewer, editor or admin.", Required = true };
        role.AcceptOnlyFromAmong(Roles.InTenant);
        string Users(ParseResult parse) => $"api/v1/admin/tenants/{parse.GetValue(tenant)}/users";
        string User(ParseResult parse) => $"{Users(parse)}/{Uri.EscapeDataString(parse.GetValue(email)!)}";

        return new Command("users", "A tenant's users, in the identity provider.").With(
            new Command("list", "The tenant's users: role, state, when added.").With(tenant).WithBody(async (parse, context, token) =>
            {
                var users = await context.Api.GetAsync(Users(parse), token);
                context.Printer.Print(users, () => Printer.Table(users.AsArray(),
                    ("User", u => Printer.Text(u["username"])), ("Role", u => Printer.Text(u["role"])),
                    ("State", u => State(u)), ("Added", u => Printer.Text(u["createdAt"]))));
            }),
            new Command("add", "Adds a user with a temporary password, which they replace when they first sign in.")
                .With(tenant, email, role).WithBody(async (parse, context, token) =>
                {
                    var user = await context.Api.PostAsync(Users(parse), new { email = parse.GetValue(email), role = parse.GetValue(role) }, token);
                    context.Printer.Print(user, () => ShowPassword(user));
                }),
            new Command("disable", "Disables a user: they cannot sign in, and their sign-ins end.").With(tenant, email).WithBody(async (parse, context, token) =>
            {
                var answer = await context.Api.PostAsync($"{User(parse)}/disable", null, token);
                context.Printer.Print(answer, () => Printer.Line($"{parse.GetValue(email)} is disabled; their sign-ins have ended."));
            }),
            new Command("enable", "Enables a disabled user again, with the password they had.").With(tenant, email).WithBody(async (parse, context, token) =>
            {
                var answer = await context.Api.PostAsync($"{User(parse)}/enable", null, token);
                context.Printer.Print(answer, () => Printer.Line($"{parse.GetValue(email)} is enabled again."));
            }),
            new Command("reset", "A new temporary password for a user who lost theirs or their second factor; their sign-ins end.")
                .With(tenant, email).WithBody(async (parse, context, token) =>
                {
                    var user = await context.Api.PostAsync($"{User(parse)}/reset", null, token);
                    context.Printer.Print(user, () => ShowPassword(user));
                }),
            new Command("remove", "Removes a user from the identity provider; their documents stay with the tenant.").With(tenant, email).WithBody(async (parse, context, token) =>
            {
                var answer = await context.Api.DeleteAsync(User(parse), token);
                context.Printer.Print(answer, () => Printer.Line($"{parse.GetValue(email)} is removed."));
            }));
    }

    private static string State(JsonNode user) =>
        user["enabled"]?.GetValue<bool>() == false ? "disabled"
        : user["mustChangePassword"]?.GetValue<bool>() == true ? "has not chosen a password yet"
        : "active";

    private static void ShowPassword(JsonNode user) => Printer.Fields(
        ("User", Printer.Text(user["username"])), ("Tenant", Printer.Text(user["tenantId"])), ("Role", Printer.Text(user["role"])),
        ("Temporary password", Printer.Text(user["temporaryPassword"])));
}
