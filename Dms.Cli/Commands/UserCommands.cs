using System.CommandLine;
using Dms.Cli.Output;
using Dms.Contracts;
using Dms.Contracts.Http;

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
        var role = new Option<string>("--role") { Description = string.Join(", ", Roles.InTenant) + ".", Required = true };
        role.AcceptOnlyFromAmong(Roles.InTenant);

        return new Command("users", "A tenant's users, in the identity provider.").With(
            new Command("list", "The tenant's users: role, state, when added.").With(tenant).WithBody(async (parse, context, token) =>
            {
                var users = await context.Api.CallAsync(api => api.UsersAsync(parse.GetValue(tenant), token));
                context.Printer.Print(users, () => Printer.Table(users,
                    ("User", u => u.Username), ("Role", u => u.Role), ("State", State), ("Added", u => Printer.Text(u.CreatedAt))));
            }),
            new Command("add", "Adds a user with a temporary password, which they replace when they first sign in.")
                .With(tenant, email, role).WithBody(async (parse, context, token) =>
                {
                    var user = await context.Api.CallAsync(api => api.AddUserAsync(parse.GetValue(tenant), new NewUserRequest(parse.GetValue(email), parse.GetValue(role)), token));
                    context.Printer.Print(user, () => ShowPassword(user));
                }),
            Change("disable", "Disables a user: they cannot sign in, and their sign-ins end.", tenant, email,
                (api, t, e, token) => api.SetUserEnabledAsync(t, e, false, token), "is disabled; their sign-ins have ended."),
            Change("enable", "Enables a disabled user again, with the password they had.", tenant, email,
                (api, t, e, token) => api.SetUserEnabledAsync(t, e, true, token), "is enabled again."),
            new Command("reset", "A new temporary password for a user who lost theirs or their second factor; their sign-ins end.")
                .With(tenant, email).WithBody(async (parse, context, token) =>
                {
                    var user = await context.Api.CallAsync(api => api.ResetUserAsync(parse.GetValue(tenant), parse.GetValue(email)!, token));
                    context.Printer.Print(user, () => ShowPassword(user));
                }),
            Change("remove", "Removes a user from the identity provider; their documents stay with the tenant.", tenant, email,
                (api, t, e, token) => api.RemoveUserAsync(t, e, token), "is removed."));
    }

    /// <summary>A change that answers nothing: <c>--json</c> prints <c>{}</c>, as the API's 204 carries no body.</summary>
    private static Command Change(
        string name, string description, Option<Guid> tenant, Option<string> email,
        Func<Contracts.Client.DmsApiClient, Guid, string, CancellationToken, Task<Contracts.Client.ApiAnswer<bool>>> change, string done) =>
        new Command(name, description).With(tenant, email).WithBody(async (parse, context, token) =>
        {
            await context.Api.CallAsync(api => change(api, parse.GetValue(tenant), parse.GetValue(email)!, token));
            context.Printer.Print(new { }, () => Printer.Line($"{parse.GetValue(email)} {done}"));
        });

    private static string State(UserResponse user) =>
        !user.Enabled ? "disabled"
        : user.MustChangePassword ? "has not chosen a password yet"
        : "active";

    private static void ShowPassword(NewUserResponse user) => Printer.Fields(
        ("User", user.Username), ("Tenant", Printer.Text(user.TenantId)), ("Role", user.Role), ("Temporary password", user.TemporaryPassword));
}
