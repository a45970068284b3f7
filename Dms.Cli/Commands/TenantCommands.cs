using System.CommandLine;
using System.Text.Json.Nodes;
using Dms.Cli.Output;
using Dms.Contracts;

namespace Dms.Cli.Commands;

/// <summary><c>dms tenants add|list|show|update|usage</c>: the runbook's tenant tasks.</summary>
public static class TenantCommands
{
    private const long GiB = 1L << 30;

    public static Command Tenants()
    {
        var id = new Argument<Guid>("tenant-id") { Description = "The tenant's id." };
        var optionalId = new Argument<Guid?>("tenant-id") { Description = "One tenant's id (default: every tenant).", Arity = ArgumentArity.ZeroOrOne };
        return new Command("tenants", "Add, list, show, change tenants; what they store.").With(
            new Command("add", "Adds a tenant.").With(Name(true), Plan(true), QuotaGb(true), RetentionDays(true)).WithBody(async (parse, context, token) =>
            {
                var tenant = await context.Api.PostAsync("api/v1/admin/tenants", Changes(parse), token);
                context.Printer.Print(tenant, () => Show(tenant));
            }),
            new Command("list", "Every tenant.").WithBody(async (_, context, token) =>
            {
                var tenants = await context.Api.GetAsync("api/v1/admin/tenants", token);
                context.Printer.Print(tenants, () => Printer.Table(tenants.AsArray(),
                    ("Id", t => Printer.Text(t["id"])), ("Name", t => Printer.Text(t["name"])), ("Plan", t => Printer.Text(t["plan"])),
                    ("Used", t => Printer.Bytes(t["usedBytes"])), ("Quota", t => Printer.Bytes(t["storageQuotaBytes"])),
                    ("Retention days", t => Printer.Text(t["retentionDays"]))));
            }),
            new Command("show", "One tenant.").With(id).WithBody(async (parse, context, token) =>
            {
                var tenant = await context.Api.GetAsync($"api/v1/admin/tenants/{parse.GetValue(id)}", token);
                context.Printer.Print(tenant, () => Show(tenant));
            }),
            new Command("update", "Changes a tenant's name, plan, quota or retention (what is given).")
                .With(id, Name(false), Plan(false), QuotaGb(false), RetentionDays(false)).WithBody(async (parse, context, token) =>
                {
                    var tenant = await context.Api.PatchAsync($"api/v1/admin/tenants/{parse.GetValue(id)}", Changes(parse), token);
                    context.Printer.Print(tenant, () => Show(tenant));
                }),
            new Command("usage", "Documents and bytes stored, by status: one tenant or all.").With(optionalId).WithBody(async (parse, context, token) =>
            {
                var usage = parse.GetValue(optionalId) is { } one
                    ? new JsonArray(await context.Api.GetAsync($"api/v1/admin/tenants/{one}/usage", token))
                    : (await context.Api.GetAsync("api/v1/admin/tenants/usage", token)).AsArray();
                context.Printer.Print(usage, () => Printer.Table(usage,
                    ("Tenant", u => Printer.Text(u["name"])), ("Id", u => Printer.Text(u["tenantId"])), ("Documents", u => Printer.Text(u["documents"])),
                    ("Used", u => Printer.Bytes(u["usedBytes"])), ("Quota", u => Printer.Bytes(u["storageQuotaBytes"])),
                    ("By status", u => string.Join(", ", (u["byStatus"] as JsonObject ?? []).Select(s => $"{s.Key} {s.Value?["documents"]}")))));
            }));
    }

    private static void Show(JsonNode tenant) => Printer.Fields(
        ("Id", Printer.Text(tenant["id"])), ("Name", Printer.Text(tenant["name"])), ("Plan", Printer.Text(tenant["plan"])),
        ("Quota", Printer.Bytes(tenant["storageQuotaBytes"])), ("Used", Printer.Bytes(tenant["usedBytes"])),
        ("Retention days", Printer.Text(tenant["retentionDays"])), ("Created", Printer.Text(tenant["createdAt"])));

    private static Option<string?> Name(bool required) => new Option<string?>("--name") { Description = "The tenant's name.", Required = required };

    private static Option<string?> Plan(bool required) => new Option<string?>("--plan") { Description = "The plan, e.g. basic or pro.", Required = required };

    private static Option<decimal?> QuotaGb(bool required) =>
        new Option<decimal?>("--quota-gb") { Description = "The storage quota in GiB.", Required = required };

    private static Option<int?> RetentionDays(bool required) =>
        new Option<int?>("--retention-days") { Description = "Days a deleted document stays restorable.", Required = required };

    private static object Changes(ParseResult parse) => new
    {
        name = parse.GetValue<string?>("--name"),
        plan = parse.GetValue<string?>("--plan"),
        storageQuotaBytes = parse.GetValue<decimal?>("--quota-gb") is { } gb ? (long?)(gb * GiB) : null,
        retentionDays = parse.GetValue<int?>("--retention-days"),
    };
}
