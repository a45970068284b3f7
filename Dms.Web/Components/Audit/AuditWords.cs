using System.Text.Json;
using Dms.Contracts.Http;

namespace Dms.Web.Components.Audit;

/// <summary>How the pages say what an audit event records: the action in words, and a line of its details.</summary>
public static class AuditWords
{
    public static string Action(string action) => action switch
    {
        AuditActions.SignedIn => "signed in",
        AuditActions.DocumentCreated => "added the document",
        AuditActions.DocumentViewed => "viewed",
        AuditActions.TextRead => "read the text",
        AuditActions.PageRead => "looked at a page",
        AuditActions.Downloaded => "downloaded",
        AuditActions.Edited => "edited",
        AuditActions.Versioned => "added a version",
        AuditActions.Trashed => "moved to the trash",
        AuditActions.Restored => "restored",
        AuditActions.Purged => "deleted for good",
        AuditActions.Reprocessed => "processed again",
        AuditActions.NoteAdded => "added a note",
        AuditActions.NoteDeleted => "removed a note",
        AuditActions.HoldPlaced => "placed a legal hold",
        AuditActions.HoldLifted => "lifted a legal hold",
        AuditActions.PermissionsChanged => "changed who may see it",
        AuditActions.ShareCreated => "created a share link",
        AuditActions.ShareOpened => "opened through a share link",
        AuditActions.ShareRevoked => "revoked a share link",
        AuditActions.RetentionDue => "flagged it for review (retention)",
        AuditActions.RetentionKept => "kept it past its retention",
        AuditActions.GroupCreated => "created a group",
        AuditActions.GroupChanged => "changed a group",
        AuditActions.GroupDeleted => "deleted a group",
        AuditActions.TenantCreated => "created the tenant",
        AuditActions.TenantChanged => "changed the tenant",
        AuditActions.UserAdded => "added a user",
        AuditActions.UserChanged => "changed a user",
        AuditActions.DeadLetterRedriven => "retried a failed job",
        AuditActions.DeadLetterPurged => "dropped a failed job",
        AuditActions.AuditVerified => "checked the audit chain",
        _ => action,
    };

    /// <summary>The details in one line: each change as before → after, a refusal's reason, the page, the user.</summary>
    public static string Details(AuditEventResponse audit)
    {
        if (audit.Details is not { ValueKind: JsonValueKind.Object } details)
        {
            return "";
        }

        var parts = new List<string>();
        foreach (var property in details.EnumerateObject())
        {
            parts.Add(property.Value is { ValueKind: JsonValueKind.Object } change && change.TryGetProperty("before", out var before) && change.TryGetProperty("after", out var after)
                ? $"{property.Name}: {Shown(before)} → {Shown(after)}"
                : property.Name == "fields" && property.Value.ValueKind == JsonValueKind.Object
                    ? $"{property.Value.EnumerateObject().Count()} field values changed"
                    : $"{property.Name}: {Shown(property.Value)}");
        }

        var line = string.Join("; ", parts);
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "none",
        JsonValueKind.String => $"“{value.GetString()}”",
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "none" : string.Join(", ", value.EnumerateArray().Select(Shown)),
        // A grant: to whom (a user's subject or a group's id) and what it allows.
        JsonValueKind.Object when value.TryGetProperty("access", out var access) =>
            $"{(value.TryGetProperty("group", out var group) && group.ValueKind == JsonValueKind.String ? "group " + group.GetString() : value.TryGetProperty("user", out var user) ? "user " + user.GetString() : "?")} may {access.GetString()}",
        JsonValueKind.Object => "…",
        _ => value.GetRawText(),
    };
}
