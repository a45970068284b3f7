using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Fields;

namespace Dms.UnitTests.Contracts;

/// <summary>The names the contract gives clients are the ones the API writes: Core's enums, as the API names them.</summary>
public sealed class NamesTests
{
    [Fact]
    public void Document_statuses_are_the_status_machines_in_its_order() =>
        Assert.Equal(SnakeCaseNames<DocumentStatus>.All, DocumentStatuses.All);

    [Fact]
    public void Scan_verdicts_are_the_versions_verdicts() =>
        Assert.Equal(SnakeCaseNames<ScanVerdict>.All, ScanVerdicts.All);

    [Fact]
    public void Field_data_types_are_the_field_kinds() =>
        Assert.Equal(SnakeCaseNames<FieldKind>.All, FieldDataTypes.All);

    [Fact]
    public void Statuses_in_progress_are_those_the_pipeline_leaves_by_itself() =>
        Assert.Equal(
            [DocumentStatus.Queued, DocumentStatus.Scanning, DocumentStatus.Extracting, DocumentStatus.Indexing],
            DocumentStatuses.InProgress.Select(SnakeCaseNames<DocumentStatus>.Parse));
}
