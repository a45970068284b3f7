using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Contracts.Http;
using Dms.Notes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Notes;

/// <summary>A document's notes: everyone of the tenant reads them, editors write them, their author or an admin removes one.</summary>
public static class NotesEndpoints
{
    public static IEndpointRouteBuilder MapNotes(this IEndpointRouteBuilder endpoints)
    {
        var notes = endpoints.MapGroup("/api/v1/documents/{id:guid}/notes").WithTags("Documents");
        notes.MapGet("/", ListAsync).WithName("ListNotes").RequireAuthorization(Policies.Read).WithSummary("A document's notes, oldest first.");
        notes.MapPost("/", AddAsync).WithName("AddNote").RequireAuthorization(Policies.Write).WithSummary($"Adds a note (up to {Note.MaxLength} characters) to a document.");
        notes.MapDelete("/{noteId:guid}", DeleteAsync).WithName("DeleteNote").RequireAuthorization(Policies.Write)
            .WithSummary("Removes a note: its author may, and the tenant's admins.");
        return endpoints;
    }

    private static NoteAuthor Author(this Caller caller) => new(caller.Subject, caller.Name, caller.Administers);

    private static NoteResponse ToResponse(this Note note, Caller caller) =>
        new(note.Id, note.DocumentId, note.AuthorName, note.Text, note.CreatedAt, note.AuthorSubject == caller.Subject);

    private static async Task<Results<Ok<List<NoteResponse>>, ProblemHttpResult>> ListAsync(Guid id, Caller caller, ListNotes list, CancellationToken cancellationToken) =>
        (await list.HandleAsync(caller.TenantId, id, cancellationToken)).ToOk(notes => notes.Select(n => n.ToResponse(caller)).ToList());

    private static async Task<Results<Created<NoteResponse>, ProblemHttpResult>> AddAsync(
        Guid id, NoteRequest request, Caller caller, AddNote add, CancellationToken cancellationToken) =>
        (await add.HandleAsync(caller.TenantId, id, caller.Author(), request.Text, cancellationToken))
            .ToCreated(n => $"/api/v1/documents/{id}/notes", n => n.ToResponse(caller));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, Guid noteId, Caller caller, DeleteNote delete, CancellationToken cancellationToken) =>
        (await delete.HandleAsync(caller.TenantId, id, noteId, caller.Author(), cancellationToken)).ToNoContent();
}
