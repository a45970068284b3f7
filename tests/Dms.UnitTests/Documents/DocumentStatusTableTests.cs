using Dms.Documents;
using Dms.Documents.Uploads;
using static Dms.Documents.DocumentStatus;

namespace Dms.UnitTests.Documents;

/// <summary>The document's state machine: the table, and <see cref="Document"/>'s guarded moves through it.</summary>
public sealed class DocumentStatusTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_status_is_reached_from_a_new_document_and_only_a_deleted_one_leaves_the_trash()
    {
        var reached = new HashSet<DocumentStatus> { DocumentStatus.PendingUpload };
        for (var grown = true; grown;)
        {
            var next = DocumentStatusTable.Moves.Where(m => m.From.Any(reached.Contains)).SelectMany(m => m.To).ToList();
            grown = next.Any(reached.Add);
        }

        Assert.Equal(Enum.GetValues<DocumentStatus>().Order(), reached.Order());
        Assert.All(DocumentStatusTable.Moves.Where(m => m.From.Contains(Deleted)), m => Assert.Equal(DocumentTrigger.Restore, m.Trigger));
    }

    [Theory]
    [InlineData(Ready, true)]
    [InlineData(Failed, true)]
    [InlineData(Quarantined, true)]
    [InlineData(Queued, false)]
    [InlineData(Scanning, false)]
    [InlineData(DocumentStatus.PendingUpload, false)]
    [InlineData(Deleted, false)]
    public void Only_a_document_that_finished_processing_can_be_reprocessed(DocumentStatus from, bool allowed) =>
        Assert.Equal(allowed, DocumentStatusTable.Allows(from, Queued, DocumentTrigger.Reprocess));

    [Fact]
    public void The_pipeline_claims_documents_in_flight_and_failed_ones_an_operator_redrove_but_ends_only_those_in_flight()
    {
        Assert.Equal([Queued, Scanning, Extracting, Indexing, Failed], DocumentStatusTable.From(DocumentTrigger.Claim));
        Assert.Equal(DocumentStatusTable.InFlight, DocumentStatusTable.From(DocumentTrigger.End));
        Assert.False(DocumentStatusTable.Allows(Ready, Failed, DocumentTrigger.End));
        Assert.False(DocumentStatusTable.Allows(Deleted, Scanning, DocumentTrigger.Claim));
    }

    [Fact]
    public void A_trashed_document_comes_back_as_it_was_and_trashing_twice_keeps_the_first_date()
    {
        var document = Uploaded();
        document.Reprocess(Now);
        document.Trash(Now);
        document.Trash(Now.AddHours(1));

        Assert.Equal(Deleted, document.Status);
        Assert.Equal(Now, document.DeletedAt);

        var job = document.Restore(Now.AddHours(2));

        // It was queued when trashed: the worker dropped that job, so restoring queues a new one.
        Assert.Equal(Queued, document.Status);
        Assert.NotNull(job);
        Assert.Null(document.DeletedAt);
        Assert.Null(document.StatusBeforeDelete);
    }

    [Fact]
    public void Restoring_a_document_that_is_not_in_the_trash_changes_nothing()
    {
        var document = Uploaded();

        Assert.Null(document.Restore(Now.AddHours(1)));
        Assert.Equal(Queued, document.Status);
        Assert.Equal(Now, document.UpdatedAt);
    }

    [Fact]
    public void A_queued_document_cannot_be_reprocessed_and_the_refusal_names_its_status()
    {
        var refused = Uploaded().Reprocess(Now).Error;

        Assert.Equal("not-reprocessable", refused?.Code);
        Assert.Contains("queued", refused!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_completed_while_the_document_is_in_the_trash_is_refused_and_changes_nothing()
    {
        var document = Uploaded();
        document.Trash(Now);

        var refused = document.MarkUploaded(Version(document, 2), null, Now.AddMinutes(1)).Error;

        Assert.Equal(DocumentErrors.InTrash, refused);
        Assert.Equal((Deleted, 1), (document.Status, document.CurrentVersion));
    }

    [Fact]
    public void A_completed_version_becomes_current_and_queues_its_own_job()
    {
        var document = Uploaded();

        var job = document.MarkUploaded(Version(document, 2), null, Now.AddMinutes(1)).Value!;

        Assert.Equal((Queued, 2, "v2.pdf"), (document.Status, document.CurrentVersion, document.FileName));
        Assert.Equal((document.Id, 2), (job.DocumentId, job.Version));
    }

    private static Document Uploaded()
    {
        var document = Document.Create(Guid.NewGuid(), new UploadRequest("a.pdf", "application/pdf", 10, null), null, ["b", "A"], null, null, Now);
        Assert.Equal(DocumentStatus.PendingUpload, document.Status);
        Assert.Equal(["a", "b"], document.Tags);
        Assert.NotNull(document.MarkUploaded(Version(document, 1), null, Now).Value);
        return document;
    }

    private static DocumentVersion Version(Document document, int number) => new()
    {
        DocumentId = document.Id, Version = number, TenantId = document.TenantId, FileName = $"v{number}.pdf", ContentType = "application/pdf",
        SizeBytes = 10, BlobKey = $"k{number}",
    };
}
