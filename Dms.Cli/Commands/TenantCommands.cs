using System.CommandLine;
using Dms.Cli.Output;
using Dms.Contracts.Http;

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
                var tenant = await context.Api.CallAsync(api => api.CreateTenantAsync(Changes(parse), token));
                context.Printer.Print(tenant, () => Show(tenant));
            }),
            new Command("list", "Every tenant.").WithBody(async (_, context, token) =>
            {
                var tenants = await context.Api.CallAsync(api => api.TenantsAsync(token));
                context.Printer.Print(tenants, () => Printer.Table(tenants,
                    ("Id", t => Printer.Text(t.Id)), ("Name", t => t.Name), ("Plan", t => t.Plan),
                    ("Used", t => Printer.Bytes(t.UsedBytes)), ("Quota", t => Printer.Bytes(t.StorageQuotaBytes)),
                    ("Retention days", t => Printer.Text(t.RetentionDays))));
            }),
            new Command("show", "One tenant.").With(id).WithBody(async (parse, context, token) =>
            {
                var tenant = await context.Api.CallAsync(api => api.TenantAsync(parse.GetValue(id), token));
                context.Printer.Print(tenant, () => Show(tenant));
            }),
            new Command("update", "Changes a tenant's name, plan, quota or retention (what is given).")
                .With(id, Name(false), Plan(false), QuotaGb(false), RetentionDays(false)).WithBody(async (parse, context, token) =>
                {
                    var tenant = await context.Api.CallAsync(api => api.UpdateTenantAsync(parse.GetValue(id), Changes(parse), token));
                    context.Printer.Print(tenant, () => Show(tenant));
                }),
            new Command("usage", "Documents and bytes stored, by status: one tenant or all.").With(optionalId).WithBody(async (parse, context, token) =>
            {
                List<TenantUsageResponse> usage = parse.GetValue(optionalId) is { } one
                    ? [await context.Api.CallAsync(api => api.TenantUsageAsync(one, token))]
                    : await context.Api.CallAsync(api => api.TenantsUsageAsync(token));
                context.Printer.Print(usage, () => Printer.Table(usage,
                    ("Tenant", u => u.Name), ("Id", u => Printer.Text(u.TenantId)), ("Documents", u => Printer.Text(u.Documents)),
                    ("Used", u => Printer.Bytes(u.UsedBytes)), ("Quota", u => Printer.Bytes(u.StorageQuotaBytes)),
                    ("By status", u => string.Join(", ", u.ByStatus.Select(s => $"{s.Key} {s.Value.Documents}")))));
            }));
    }

    private static void Show(TenantResponse tenant) => Printer.Fields(
        ("Id", Printer.Text(tenant.Id)), ("Name", tenant.Name), ("Plan", tenant.Plan),
        ("Quota", Printer.Bytes(tenant.StorageQuotaBytes)), ("Used", Printer.Bytes(tenant.UsedBytes)),
        ("Retention days", Printer.Text(tenant.RetentionDays)), ("Created", Printer.Text(tenant.CreatedAt)));

    private static Option<string?> Name(bool required) => new Option<string?>("--name") { Description = "The tenant's name.", Required = required };

    private static Option<string?> Plan(bool required) => new Option<string?>("--plan") { Description = "The plan, e.g. basic or pro.", Required = required };

    private static Option<decimal?> QuotaGb(bool required) =>
        new Option<decimal?>("--quota-gb") { Description = "The storage quota in GiB.", Required = required };

    private static Option<int?> RetentionDays(bool required) =>
        new Option<int?>("--retention-days") { Description = "Days a deleted document stays restorable.", Required = required };

    private static TenantRequest Changes(ParseResult parse) => new(
        parse.GetValue<string?>("--name"),
        parse.GetValue<string?>("--plan"),
        parse.GetValue<decimal?>("--quota-gb") is { } gb ? (long?)(gb * GiB) : null,
        parse.GetValue<int?>("--retention-days"));
}
