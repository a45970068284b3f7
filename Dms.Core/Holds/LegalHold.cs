using Dms.Common;

namespace Dms.Holds;

/// <summary>
/// A legal hold: a name, a reason, who placed it and when, and the documents it covers (<see cref="HeldDocument"/>).
/// While a hold covers a document, nobody can trash it, purge it or remove a version of it, by any route or sweep:
/// the use cases refuse with the hold's name, and the database refuses whatever gets past them. Lifting a hold
/// releases its documents; the hold itself stays, lifted, for the record.
/// </summary>
public sealed class LegalHold
{
    public const int MaxNameLength = 200;
    public const int MaxReasonLength = 2000;

    /// <summary>The most documents one hold takes at once (by ids or a filter).</summary>
    public const int MaxDocumentsPlaced = 10_000;

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public required string Reason { get; set; }
    public required string PlacedBy { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }
    public string? LiftedBy { get; set; }

    public static Error? Validate(string? name, string? reason) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength || !StorableText.IsStorable(name) || name.Any(char.IsControl)
            ? Error.Invalid("name", $"A hold's name is 1 to {MaxNameLength} characters on one line.")
        : string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength || !StorableText.IsStorable(reason)
            ? Error.Invalid("reason", $"A hold's reason is 1 to {MaxReasonLength} characters.")
        : null;
}

/// <summary>One document a hold covers, since when.</summary>
public sealed class HeldDocument
{
    public Guid TenantId { get; set; }
    public Guid HoldId { get; set; }
    public Guid DocumentId { get; set; }
    public DateTimeOffset HeldSince { get; set; }
}
