using Dms.Documents;

namespace Dms.UnitTests.Documents;

/// <summary>The date proposed from a document's text: the first plausible one, read in the tenant's order.</summary>
public sealed class DateProposalTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Theory]
    [InlineData("Invoice date: 2027-02-10, due in 30 days", DateOrder.DayMonthYear, "2027-02-10")]
    [InlineData("Rechnung vom 10.02.2027", DateOrder.DayMonthYear, "2027-02-10")]
    [InlineData("Invoice of 02/10/2027", DateOrder.MonthDayYear, "2027-02-10")]
    [InlineData("Invoice of 02/10/2027", DateOrder.DayMonthYear, "2027-10-02")]
    [InlineData("Dated 10 February 2027.", DateOrder.DayMonthYear, "2027-02-10")]
    [InlineData("Dated Feb. 10, 2027.", DateOrder.DayMonthYear, "2027-02-10")]
    [InlineData("Order 31.02.2027 was a typo; shipped 01.03.2027", DateOrder.DayMonthYear, "2027-03-01")]
    [InlineData("Founded 1850, invoice 05.06.2026", DateOrder.DayMonthYear, "2026-06-05")]
    public void The_first_plausible_date_is_proposed(string text, DateOrder order, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), DateProposal.FirstIn(text, order, Today));

    [Theory]
    [InlineData("No date here, only 12345 and 2027")]
    [InlineData("Far future 01.01.2099 and long past 01.01.1850")]
    [InlineData("")]
    public void No_plausible_date_proposes_none(string text) =>
        Assert.Null(DateProposal.FirstIn(text, DateOrder.DayMonthYear, Today));

    [Fact]
    public void Only_the_start_of_a_text_is_read_and_a_hostile_one_costs_no_more()
    {
        var late = new string('1', DateProposal.ScannedCharacters) + " 2027-02-10";
        var hostile = string.Concat(Enumerable.Repeat("10.10.10.10.10.", 200_000));

        Assert.Null(DateProposal.FirstIn(late, DateOrder.DayMonthYear, Today));
        Assert.Null(DateProposal.FirstIn(hostile, DateOrder.DayMonthYear, Today));
    }

    [Fact]
    public void The_day_the_file_was_created_is_proposed_only_when_the_text_has_no_date_and_only_if_plausible()
    {
        var created = new DateOnly(2026, 11, 3);

        Assert.Equal(created, DateProposal.FirstIn("Minutes of the board", DateOrder.DayMonthYear, Today, created));
        Assert.Equal(new DateOnly(2027, 2, 10), DateProposal.FirstIn("Invoice of 2027-02-10", DateOrder.DayMonthYear, Today, created));
        Assert.Null(DateProposal.FirstIn("Minutes of the board", DateOrder.DayMonthYear, Today, new DateOnly(1601, 1, 1)));
    }
}
