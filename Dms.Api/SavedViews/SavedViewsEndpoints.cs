using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Contracts.Http;
using Dms.SavedViews;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.SavedViews;

/// <summary>Saved views: everyone keeps their own; admins share views with the whole tenant and change shared ones.</summary>
public static class SavedViewsEndpoints
{
    public static IEndpointRouteBuilder MapSavedViews(this IEndpointRouteBuilder endpoints)
    {
        var views = endpoints.MapGroup("/api/v1/saved-views").WithTags("Describing").RequireAuthorization(Policies.Read);
        views.MapGet("/", ListAsync).WithName("ListSavedViews").WithSummary("The caller's own saved views and the tenant's shared ones, by name.");
        views.MapPost("/", CreateAsync).WithName("CreateSavedView").WithSummary("Saves a view: filters, order and columns (shared with the tenant: admins).");
        views.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateSavedView").WithSummary("Changes a view: its owner their own, admins a shared one.");
        views.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteSavedView").WithSummary("Removes a view: its owner their own, admins a shared one.");
        return endpoints;
    }

    private static SavedViewResponse ToResponse(this SavedView view, Caller caller) =>
        new(view.Id, view.Name, view.Shared, view.OwnerSubject == caller.Subject, view.Filters, view.Sort, view.Columns, view.OnStartPage, view.CreatedAt);

    private static async Task<Ok<List<SavedViewResponse>>> ListAsync(Caller caller, ListViews list, CancellationToken cancellationToken) =>
        TypedResults.Ok((await list.HandleAsync(caller.TenantId, caller.ViewOwner, cancellationToken)).Select(v => v.ToResponse(caller)).ToList());

    private static async Task<Results<Created<SavedViewResponse>, ProblemHttpResult>> CreateAsync(
        SavedViewRequest request, Caller caller, SaveView save, CancellationToken cancellationToken) =>
        (await save.HandleAsync(caller.TenantId, null, caller.ViewOwner, request, cancellationToken)).ToCreated(v => $"/api/v1/saved-views/{v.Id}", v => v.ToResponse(caller));

    private static async Task<Results<Ok<SavedViewResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, SavedViewRequest request, Caller caller, SaveView save, CancellationToken cancellationToken) =>
        (await save.HandleAsync(caller.TenantId, id, caller.ViewOwner, request, cancellationToken)).ToOk(v => v.ToResponse(caller));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, Caller caller, DeleteView delete, CancellationToken cancellationToken) =>
        (await delete.HandleAsync(caller.TenantId, id, caller.ViewOwner, cancellationToken)).ToNoContent();
}
