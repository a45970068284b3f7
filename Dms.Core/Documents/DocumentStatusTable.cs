using System.Collections.Frozen;
using static Dms.Documents.DocumentStatus;

namespace Dms.Documents;

/// <summary>
/// Every move a document's status can make, and what makes it. <see cref="Document"/>'s methods (what users do) and
/// <see cref="Processing.ProcessingStore"/> (what the pipeline does) check their moves here, so this table is the whole
/// state machine. docs/architecture.md draws it.
/// </summary>
public static class DocumentStatusTable
{
    public sealed record Move(DocumentTrigger Trigger, IReadOnlyList<DocumentStatus> From, IReadOnlyList<DocumentStatus> To);

    /// <summary>Between <c>complete</c> and an end state: the pipeline has (or will have) a job for it.</summary>
    public static readonly IReadOnlyList<DocumentStatus> InFlight = [Queued, Scanning, Extracting, Indexing];

    /// <summary>Where processing ends.</summary>
    public static readonly IReadOnlyList<DocumentStatus> Finished = [Ready, Failed, Quarantined];

    public static readonly IReadOnlyList<Move> Moves =
    [
        new(DocumentTrigger.Create, [], [PendingUpload]),
        new(DocumentTrigger.Complete, [PendingUpload, .. InFlight, .. Finished], [Queued]),
        new(DocumentTrigger.Trash, [PendingUpload, .. InFlight, .. Finished], [Deleted]),
        // Back to where it was; one the pipeline had is queued again.
        new(DocumentTrigger.Restore, [Deleted], [PendingUpload, Queued, .. Finished]),
        new(DocumentTrigger.Reprocess, Finished, [Queued]),
        // A failed document is taken up again when an operator redrives its dead-lettered job.
        new(DocumentTrigger.Claim, [.. InFlight, Failed], [Scanning]),
        new(DocumentTrigger.Advance, InFlight, [Extracting, Indexing, Ready]),
        new(DocumentTrigger.End, InFlight, [Failed, Quarantined]),
    ];

    private static readonly FrozenDictionary<DocumentTrigger, Move> ByTrigger = Moves.ToFrozenDictionary(m => m.Trigger);

    public static bool Allows(DocumentStatus from, DocumentStatus to, DocumentTrigger trigger) =>
        ByTrigger[trigger] is var move && move.From.Contains(from) && move.To.Contains(to);

    /// <summary>The statuses <paramref name="trigger"/> moves a document from.</summary>
    public static IReadOnlyList<DocumentStatus> From(DocumentTrigger trigger) => ByTrigger[trigger].From;

    public static bool IsInFlight(this DocumentStatus status) => InFlight.Contains(status);
}
