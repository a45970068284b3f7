using Dms.Api.Identity;
using Dms.Api.Problems;
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
        admin.MapPost("/", CreateAsync).WithSummary("Adds a tenant with its plan, storage quota and retention.");
        admin.MapGet("/", ListAsync).WithSummary("Lists every tenant.");
        admin.MapGet("/usage", AllUsageAsync).WithSummary("Documents and bytes stored by every tenant, by status.");
        admin.MapGet("/{id:guid}", GetAsync).WithSummary("One tenant.");
        admin.MapPatch("/{id:guid}", UpdateAsync).WithSummary("Changes a tenant's name, plan, quota or retention.");
        admin.MapGet("/{id:guid}/usage", UsageAsync).WithSummary("Documents and bytes stored by one tenant, by status.");

        endpoints.MapGet("/api/v1/tenant", OwnTenantAsync)
            .WithTags("Tenant")
            .WithSummary("The caller's own tenant and its usage.")
            .RequireAuthorization(Policies.Read);
        return endpoints;
    }

    public sealed record TenantRequest(string? Name, string? Plan, long? StorageQuotaBytes, int? RetentionDays)
    {
        public TenantService.TenantChanges ToChanges() => new(Name, Plan, StorageQuotaBytes, RetentionDays);
    }

    private static async Task<Results<Created<TenantResponse>, ProblemHttpResult>> CreateAsync(
        TenantRequest request, TenantService tenants, CancellationToken cancellationToken) =>
        (await tenants.CreateAsync(request.ToChanges(), cancellationToken)).ToCreated(tenant => $"/api/v1/admin/tenants/{tenant.Id}", TenantResponse.From);

    private static async Task<Ok<List<TenantResponse>>> ListAsync(TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok((await tenants.ListAsync(cancellationToken)).Select(TenantResponse.From).ToList());

    private static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> GetAsync(
        Guid id, TenantService tenants, CancellationToken cancellationToken) =>
        (await tenants.GetAsync(id, cancellationToken)).ToOk(TenantResponse.From);

    private static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, TenantRequest request, TenantService tenants, CancellationToken cancellationToken) =>
        (await tenants.UpdateAsync(id, request.ToChanges(), cancellationToken)).ToOk(TenantResponse.From);

    private static async Task<Ok<IReadOnlyList<TenantUsage>>> AllUsageAsync(TenantService tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenants.UsageAsync(null, cancellationToken));

    private static async Task<Results<Ok<TenantUsage>, ProblemHttpResult>> UsageAsync(
        Guid id, TenantService tenants, CancellationToken cancellationToken)
    {
        var outcome = await tenants.GetAsync(id, cancellationToken);
        if (outcome.Error is { } error)
        {
            return error.ToProblem();
        }

        return TypedResults.Ok((await tenants.UsageAsync(id, cancellationToken)).Single());
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
        return TypedResults.Ok(new OwnTenantResponse(TenantResponse.From(outcome.Value!), usage));
    }
}
