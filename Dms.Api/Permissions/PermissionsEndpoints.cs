using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Permissions;
using Dms.Persistence;
using Dms.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dms.Api.Permissions;

/// <summary>
/// Groups (tenant admins manage them; every user of the tenant reads them, to grant a document) and a document's
/// permissions: its owner and grants (its owner or an admin changes them). What a user sees is not decided here:
/// the database's row-level security shows each request's user (<see cref="UseDocumentViewers"/>) only the documents
/// they may see, everywhere at once.
/// </summary>
public static class PermissionsEndpoints
{
    public static IHostApplicationBuilder AddPermissions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SaveGroup>();
        builder.Services.AddScoped<DeleteGroup>();
        builder.Services.AddScoped<ChangeGroupMembers>();
        builder.Services.AddScoped<ListGroups>();
        builder.Services.AddScoped<GetPermissions>();
        builder.Services.AddScoped<SetPermissions>();
        return builder;
    }

    /// <summary>
    /// Names the database's viewer for each request of a tenant's user who is not an admin: row-level security then
    /// hides the restricted documents they were not granted, from every query of the request.
    /// </summary>
    public static IApplicationBuilder UseDocumentViewers(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity?.IsAuthenticated == true
            && Caller.From(http.User, http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value) is { Administers: false } caller)
        {
            http.RequestServices.GetRequiredService<DmsDbContext>().Viewer = caller.Subject;
        }

        await next(http);
    });

    public static IEndpointRouteBuilder MapPermissions(this IEndpointRouteBuilder endpoints)
    {
        var groups = endpoints.MapGroup("/api/v1/groups").WithTags("Groups");
        groups.MapGet("/", ListAsync).WithName("ListGroups").RequireAuthorization(Policies.Read).WithSummary("The tenant's groups; with their members for its admins.");
        groups.MapPost("/", CreateAsync).WithName("CreateGroup").RequireAuthorization(Policies.Administer).WithSummary("Creates a group.");
        groups.MapPut("/{groupId:guid}", RenameAsync).WithName("RenameGroup").RequireAuthorization(Policies.Administer).WithSummary("Renames a group.");
        groups.MapDelete("/{groupId:guid}", DeleteAsync).WithName("DeleteGroup").RequireAuthorization(Policies.Administer)
            .WithSummary("Deletes a group: its grants go, the documents it owned have no owner; none is shown to more people.");
        groups.MapPost("/{groupId:guid}/members", AddMemberAsync).WithName("AddGroupMember").RequireAuthorization(Policies.Administer)
            .WithSummary("Adds a user of the tenant to a group.");
        groups.MapDelete("/{groupId:guid}/members/{userId}", RemoveMemberAsync).WithName("RemoveGroupMember").RequireAuthorization(Policies.Administer)
            .WithSummary("Takes a user out of a group.");

        var permissions = endpoints.MapGroup("/api/v1/documents/{id:guid}/permissions").WithTags("Documents");
        permissions.MapGet("/", GetAsync).WithName("GetDocumentPermissions").RequireAuthorization(Policies.Read)
            .WithSummary("A document's owner and grants, and whether the caller may change them.");
        permissions.MapPut("/", SetAsync).WithName("SetDocumentPermissions").RequireAuthorization(Policies.Write)
            .WithSummary("Sets a document's owner and grants (its owner or an admin): with grants, only its owner, its grantees and the admins see it.");
        return endpoints;
    }

    /// <summary>Every user of the tenant sees the groups (to share with them); who is in each is the admins' to see, as the users list is.</summary>
    private static async Task<Ok<List<GroupResponse>>> ListAsync(Caller caller, ListGroups list, ListUsers users, CancellationToken cancellationToken)
    {
        var groups = await list.HandleAsync(caller.TenantId, cancellationToken);
        if (!caller.Administers)
        {
            return TypedResults.Ok(groups.Select(g => (g with { Members = [] }).ToResponse(new Dictionary<string, string>())).ToList());
        }

        var names = await NamesAsync(caller, users, cancellationToken);
        return TypedResults.Ok(groups.Select(g => g.ToResponse(names)).ToList());
    }

    private static async Task<Results<Created<GroupResponse>, ProblemHttpResult>> CreateAsync(
        GroupRequest request, Caller caller, SaveGroup save, CancellationToken cancellationToken) =>
        (await save.HandleAsync(caller.TenantId, null, request.Name, cancellationToken))
            .ToCreated(group => $"/api/v1/groups/{group.Id}", group => new ListGroups.Listed(group, []).ToResponse(new Dictionary<string, string>()));

    private static async Task<Results<Ok<GroupResponse>, ProblemHttpResult>> RenameAsync(
        Guid groupId, GroupRequest request, Caller caller, SaveGroup save, ListGroups list, ListUsers users, CancellationToken cancellationToken)
    {
        var saved = await save.HandleAsync(caller.TenantId, groupId, request.Name, cancellationToken);
        return saved.Error is { } refused ? refused.ToProblem() : await ShownAsync(caller, groupId, list, users, cancellationToken);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid groupId, Caller caller, DeleteGroup delete, CancellationToken cancellationToken) =>
        (await delete.HandleAsync(caller.TenantId, groupId, cancellationToken)).ToNoContent();

    private static async Task<Results<Ok<GroupResponse>, ProblemHttpResult>> AddMemberAsync(
        Guid groupId, GroupMemberRequest request, Caller caller, ChangeGroupMembers members, ListGroups list, ListUsers users, CancellationToken cancellationToken)
    {
        var changed = await members.AddAsync(caller.TenantId, groupId, request.UserId, cancellationToken);
        return changed.Error is { } refused ? refused.ToProblem() : await ShownAsync(caller, groupId, list, users, cancellationToken);
    }

    private static async Task<Results<Ok<GroupResponse>, ProblemHttpResult>> RemoveMemberAsync(
        Guid groupId, string userId, Caller caller, ChangeGroupMembers members, ListGroups list, ListUsers users, CancellationToken cancellationToken)
    {
        var changed = await members.RemoveAsync(caller.TenantId, groupId, userId, cancellationToken);
        return changed.Error is { } refused ? refused.ToProblem() : await ShownAsync(caller, groupId, list, users, cancellationToken);
    }

    private static async Task<Results<Ok<PermissionsResponse>, ProblemHttpResult>> GetAsync(
        Guid id, Caller caller, GetPermissions get, ListUsers users, CancellationToken cancellationToken)
    {
        var outcome = await get.HandleAsync(caller.TenantId, id, cancellationToken);
        return outcome.Error is { } refused ? refused.ToProblem() : TypedResults.Ok(outcome.Value!.ToResponse(await NamesAsync(caller, users, cancellationToken)));
    }

    private static async Task<Results<Ok<PermissionsResponse>, ProblemHttpResult>> SetAsync(
        Guid id, PermissionsRequest request, Caller caller, SetPermissions set, GetPermissions get, ListUsers users, CancellationToken cancellationToken)
    {
        var command = new SetPermissions.Command(request.OwnerUserId, request.OwnerGroupId,
            request.Grants?.Select(g => new SetPermissions.Grantee(g.UserId, g.GroupId, g.Access)).ToList());
        var changed = await set.HandleAsync(caller.TenantId, id, command, cancellationToken);
        if (changed.Error is { } refused)
        {
            return refused.ToProblem();
        }

        // Read back as the caller sees it now: an owner who gave the document away may no longer see it.
        var outcome = await get.HandleAsync(caller.TenantId, id, cancellationToken);
        return outcome.Error is { } gone ? gone.ToProblem() : TypedResults.Ok(outcome.Value!.ToResponse(await NamesAsync(caller, users, cancellationToken)));
    }

    private static async Task<Results<Ok<GroupResponse>, ProblemHttpResult>> ShownAsync(
        Caller caller, Guid groupId, ListGroups list, ListUsers users, CancellationToken cancellationToken)
    {
        var group = await list.GetAsync(caller.TenantId, groupId, cancellationToken);
        return group.Error is { } missing ? missing.ToProblem() : TypedResults.Ok(group.Value!.ToResponse(await NamesAsync(caller, users, cancellationToken)));
    }

    /// <summary>The tenant's users' e-mail addresses by subject; none when the directory cannot be reached (the ids still show).</summary>
    private static async Task<IReadOnlyDictionary<string, string>> NamesAsync(Caller caller, ListUsers users, CancellationToken cancellationToken) =>
        (await users.HandleAsync(caller.TenantId, cancellationToken)).Value?.ToDictionary(u => u.Subject, u => u.Username, StringComparer.Ordinal)
            ?? new Dictionary<string, string>();

    private static GroupResponse ToResponse(this ListGroups.Listed listed, IReadOnlyDictionary<string, string> names) =>
        new(listed.Group.Id, listed.Group.Name, listed.Group.CreatedAt, [.. listed.Members.Select(m => new GroupMemberItem(m, names.GetValueOrDefault(m)))]);

    private static PermissionsResponse ToResponse(this GetPermissions.Permissions p, IReadOnlyDictionary<string, string> names) => new(
        p.Document.Id, p.Document.OwnerUserId, p.Document.OwnerGroupId,
        p.Document.OwnerUserId is { } user ? names.GetValueOrDefault(user, user) : p.Document.OwnerGroupId is { } group ? p.GroupNames.GetValueOrDefault(group) : null,
        p.Document.Restricted,
        [.. p.Grants.Select(g => new GrantItem(g.UserId, g.GroupId, g.Access,
            g.UserId is { } u ? names.GetValueOrDefault(u, u) : p.GroupNames.GetValueOrDefault(g.GroupId!.Value)))],
        p.MayManage, p.MayEdit);
}
