using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Contracts.Http;
using Dms.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Tenants;

public static class TenantsEndpoints
{
    public static IHostApplicationBuilder AddTenants(this IHostApplicationBuilder builder)
    {
        builder.AddTenantUseCases();
        return builder;
    }

    public static IEndpointRouteBuilder MapTenants(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/v1/admin/tenants").WithTags("Tenants (operator)").RequireAuthorization(Policies.Operate);
        admin.MapPost("/", CreateAsync).WithName("CreateTenant").WithSummary("Adds a tenant with its plan, storage quota and retention.");
        admin.MapGet("/", ListAsync).WithName("ListTenants").WithSummary("Lists every tenant.");
        admin.MapGet("/usage", AllUsageAsync).WithName("ListTenantsUsage").WithSummary("Documents and bytes stored by every tenant, by status.");
        admin.MapGet("/{id:guid}", GetAsync).WithName("GetTenant").WithSummary("One tenant.");
        admin.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateTenant").WithSummary("Changes a tenant's name, plan, quota or retention.");
        admin.MapGet("/{id:guid}/usage", UsageAsync).WithName("GetTenantUsage").WithSummary("Documents and bytes stored by one tenant, by status.");

        endpoints.MapGet("/api/v1/tenant", OwnTenantAsync).WithName("GetOwnTenant")
            .WithTags("Tenant")
            .WithSummary("The caller's own tenant and its usage.")
            .RequireAuthorization(Policies.Read);
        return endpoints;
    }

    private static TenantChanges ToChanges(this TenantRequest request) =>
        new(request.Name, request.Plan, request.StorageQuotaBytes, request.RetentionDays);

    private static TenantResponse ToResponse(this Tenant tenant) =>
        new(tenant.Id, tenant.Name, tenant.Plan, tenant.StorageQuotaBytes, tenant.UsedBytes, tenant.RetentionDays, tenant.CreatedAt);

    private static TenantUsageResponse ToResponse(this TenantUsage usage) => new(
        usage.TenantId, usage.Name, usage.StorageQuotaBytes, usage.UsedBytes, usage.Documents,
        usage.ByStatus.ToDictionary(s => s.Key, s => new Contracts.Http.StatusUsage(s.Value.Documents, s.Value.Bytes)));

    private static async Task<Results<Created<TenantResponse>, ProblemHttpResult>> CreateAsync(
        TenantRequest request, CreateTenant create, CancellationToken cancellationToken) =>
        (await create.HandleAsync(request.ToChanges(), cancellationToken)).ToCreated(tenant => $"/api/v1/admin/tenants/{tenant.Id}", ToResponse);

    private static async Task<Ok<List<TenantResponse>>> ListAsync(ListTenants list, CancellationToken cancellationToken) =>
        TypedResults.Ok((await list.HandleAsync(cancellationToken)).Select(ToResponse).ToList());

    private static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> GetAsync(
        Guid id, GetTenant get, CancellationToken cancellationToken) =>
        (await get.HandleAsync(id, cancellationToken)).ToOk(ToResponse);

    private static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, TenantRequest request, UpdateTenant update, CancellationToken cancellationToken) =>
        (await update.HandleAsync(id, request.ToChanges(), cancellationToken)).ToOk(ToResponse);

    private static async Task<Ok<List<TenantUsageResponse>>> AllUsageAsync(MeasureUsage measure, CancellationToken cancellationToken) =>
        TypedResults.Ok((await measure.HandleAsync(null, cancellationToken)).Select(ToResponse).ToList());

    private static async Task<Results<Ok<TenantUsageResponse>, ProblemHttpResult>> UsageAsync(
        Guid id, MeasureUsage measure, CancellationToken cancellationToken) =>
        await measure.HandleAsync(id, cancellationToken) is [var usage] ? TypedResults.Ok(usage.ToResponse()) : TenantErrors.NotFound.ToProblem();

    private static async Task<Results<Ok<OwnTenantResponse>, ProblemHttpResult>> OwnTenantAsync(
        Caller caller, GetTenant get, MeasureUsage measure, CancellationToken cancellationToken) =>
        await get.HandleAsync(caller.TenantId, cancellationToken) is { Error: null, Value: { } tenant }
        && await measure.HandleAsync(caller.TenantId, cancellationToken) is [var usage]
            ? TypedResults.Ok(new OwnTenantResponse(tenant.ToResponse(), usage.ToResponse()))
            : TenantErrors.NotFound.ToProblem();
}
