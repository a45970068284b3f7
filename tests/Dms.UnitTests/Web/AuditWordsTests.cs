using System.Text.Json;
using Dms.Contracts.Http;
using Dms.Web.Components.Audit;

namespace Dms.UnitTests.Web;

public sealed class AuditWordsTests
{
    private static AuditEventResponse Event(string details) => new(
        1, DateTimeOffset.UnixEpoch, AuditActions.PermissionsChanged, "user", "u", "ann@example.com", null, null, Guid.Empty, 1, "succeeded",
        JsonDocument.Parse(details).RootElement);

    [Fact]
    public void A_change_of_grants_says_to_whom_each_was_given_and_what_it_allows() =>
        Assert.Equal(
            "grants: none → group 7f0c may view, user bob may edit; restricted: false → true",
            AuditWords.Details(Event("""
                {"grants":{"before":[],"after":[{"user":null,"group":"7f0c","access":"view"},{"user":"bob","group":null,"access":"edit"}]},
                 "restricted":{"before":false,"after":true}}
                """)));

    [Fact]
    public void A_changed_title_reads_before_and_after() =>
        Assert.Equal("title: “a” → “b”", AuditWords.Details(Event("""{"title":{"before":"a","after":"b"}}""")));
}
