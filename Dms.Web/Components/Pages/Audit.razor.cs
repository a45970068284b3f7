using System.Globalization;
using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.Web.Components.Audit;
using Microsoft.AspNetCore.Components;

namespace Dms.Web.Components.Pages;

/// <summary>
/// The tenant's audit trail for its admins: filters (days, what, who, document, outcome), a page of events at a time,
/// the same events as CSV or NDJSON, and the check of the hash chain. The API refuses anyone but an admin.
/// </summary>
public partial class Audit
{
    [SupplyParameterFromQuery(Name = "from")]
    private string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    private string? To { get; set; }

    [SupplyParameterFromQuery(Name = "action")]
    private string? Action { get; set; }

    [SupplyParameterFromQuery(Name = "actor")]
    private string? Actor { get; set; }

    [SupplyParameterFromQuery(Name = "document")]
    private string? DocumentId { get; set; }

    [SupplyParameterFromQuery(Name = "outcome")]
    private string? Outcome { get; set; }

    [SupplyParameterFromQuery]
    private string? Cursor { get; set; }

    [SupplyParameterFromQuery]
    private string? Before { get; set; }

    private AuditPageResponse? Page { get; set; }

    private AuditVerificationResponse? Verification { get; set; }

    private string? Problem { get; set; }

    /// <summary>The subjects (every event of documents, of users…) and then each action.</summary>
    private static readonly (string Value, string Label)[] ActionChoices =
    [
        ("document", "Anything done to documents"), ("user", "Sign-ins and users"), ("tenant", "The tenant's settings"),
        .. AuditActions.All.Select(a => (a, AuditWords.Action(a))),
    ];

    private (string Name, string? Value)[] Filters =>
        [("from", From), ("to", To), ("action", Action), ("actor", Actor), ("document", DocumentId), ("outcome", Outcome)];

    protected override async Task OnInitializedAsync()
    {
        if (Query() is not { } query)
        {
            return;
        }

        (Page, var refusal, _) = await Api.AuditAsync(null, query, CancellationToken.None);
        Problem = refusal;
    }

    private async Task VerifyAsync()
    {
        (Verification, var refusal, _) = await Api.VerifyAuditAsync(null, CancellationToken.None);
        Problem = refusal;
        await OnInitializedAsync();
    }

    /// <summary>What the filters ask for; null (with the problem said) when one cannot be read.</summary>
    private AuditQuery? Query()
    {
        Guid? document = null;
        if (!string.IsNullOrWhiteSpace(DocumentId))
        {
            if (!Guid.TryParse(DocumentId, out var id))
            {
                Problem = "The document must be given by its id.";
                return null;
            }

            document = id;
        }

        return new AuditQuery(
            Day(From), Day(To)?.AddDays(1).AddTicks(-1), Empty(Action), Empty(Actor)?.Trim(), document, Empty(Outcome),
            long.TryParse(Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before) ? before : null, 50);
    }

    private static DateTimeOffset? Day(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The same events (every page of them) as a file, through the web app's pass-through to the API's export.</summary>
    private string Export(string format) =>
        Addresses.With("/audit/export", [.. (Query() ?? new AuditQuery()) with { Before = null, Limit = null } is var query ? query.Parameters() : [], ("format", format)]);
}
