using Dms.Worker.Extraction;

namespace Dms.UnitTests.Worker.Extraction;

/// <summary>The text layer and the creation day read back from what <c>pdftotext -htmlmeta</c> writes.</summary>
public sealed class PdfTextLayerTests
{
    private const string Head = """
        <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml">
        <head>
        <title>Report</title>
        <meta name="CreationDate" content="2027-02-10T09:30:00+01"/>
        <meta name="ModDate" content="2027-03-01T12:00:00Z"/>
        </head>
        <body>
        <pre>

        """;

    [Fact]
    public void The_text_is_what_the_pre_holds_as_written_and_the_day_is_the_creation_date()
    {
        var (text, created) = PdfTextLayer.Read(Head + "Quarterly report & <notes> </pre> inside\n\fPage two\n\f</pre>\n</body>\n</html>\n", cut: false);

        Assert.Equal("Quarterly report & <notes> </pre> inside\n\fPage two\n\f", text);
        Assert.Equal(new DateOnly(2027, 2, 10), created);
    }

    [Fact]
    public void A_cut_output_runs_to_its_end_and_a_pdf_without_dates_has_none()
    {
        var withoutDates = Head.Replace("<meta name=\"CreationDate\" content=\"2027-02-10T09:30:00+01\"/>\n", "");

        var (text, created) = PdfTextLayer.Read(withoutDates + "Long text that stopped at the budg", cut: true);

        Assert.Equal("Long text that stopped at the budg", text);
        Assert.Null(created);
        Assert.Equal(("", (DateOnly?)null), PdfTextLayer.Read("Syntax Error: not what pdftotext writes", cut: false));
    }
}
