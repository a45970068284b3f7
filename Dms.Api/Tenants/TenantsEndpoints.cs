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
        builder.Services.AddScoped<TenantService>();
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

    private static TenantService.TenantChanges ToChanges(this TenantRequest request) =>
        new(request.Name, request.Plan, request.StorageQuotaBytes, request.RetentionDays);

    private static TenantResponse ToResponse(this Tenant tenant) =>
        new(tenant.Id, tenant.Name, tenant.Plan, tenant.StorageQuotaBytes, tenant.UsedBytes, tenant.RetentionDays, tenant.CreatedAt);

    private static TenantUsageResponse ToResponse(this TenantUsage usage) => new(
        usage.TenantId, usage.Name, usage.StorageQuotaBytes, usage.UsedBytes, usage.Documents,
        usage.ByStatus.ToDictionary(s => s.Key, s => new Contracts.Http.StatusUsage(s.Value.Documents, s.Value.Bytes)));

    private static async Task<Results<Created<TenantResponse>, ProblemHttpResult>> CreateAsync(
        TenantRequest request, TenantService tenants, CancellationToken cancellationToken) =>
        (await tenants.CreateAsync(request.ToChanges(), cancellationToken)).ToCreated(tenant => $"/api/v1/admin/tenants/{tenant.Id}", ToResponse);

    private static async Task<Ok<List<TenantResponse>>> ListAsync(TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok((await tenants.ListAsync(cancellationToken)).Select(ToResponse).ToList());

    private static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> GetAsync(
        Guid id, TenantService tenants, CancellationToken cancellationToken) =>
        (await tenants.GetAsync(id, cancellationToken)).ToOk(ToResponse);

    private static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, TenantRequest request, TenantService tenants, CancellationToken cancellationToken) =>
        (await tenants.UpdateAsync(id, request.ToChanges(), cancellationToken)).ToOk(ToResponse);

    private static async Task<Ok<List<TenantUsageResponse>>> AllUsageAsync(TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok((await tenants.UsageAsync(null, cancellationToken)).Select(ToResponse).ToList());

    private static async Task<Results<Ok<TenantUsageResponse>, ProblemHttpResult>> UsageAsync(
        Guid id, TenantService tenants, CancellationToken cancellationToken)
    {
        var outcome = await tenants.GetAsync(id, cancellationToken);
        if (outcome.Error is { } error)
        {
            return error.ToProblem();
        }

        return TypedResults.Ok((await tenants.UsageAsync(id, cancellationToken)).Single().ToResponse());
    }

    private static async Task<Results<Ok<OwnTenantResponse>, ProblemHttpResult>> OwnTenantAsync(
        Caller caller, TenantService tenants, CancellationToken cancellationToken)
    {
        var outcome = await tenants.GetAsync(caller.TenantId, cancellationToken);
        if (outcome.Error is { } error)
        {
            return error.ToProblem();
        }

        var usage = (await tenants.UsageAsync(caller.TenantId, cancellationToken)).Single();
        return TypedResults.Ok(new OwnTenantResponse(outcome.Value!.ToResponse(), usage.ToResponse()));
    }
}
