using Dms.Documents;
using System.IO.Compression;
using System.Text;
using Dms.Worker.Extraction;

namespace Dms.UnitTests.Worker.Extraction;

/// <summary>A file's type comes from its bytes, never from what the client declared or its name.</summary>
public sealed class ContentSnifferTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dms-sniff-");

    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37 }, ContentTypes.Pdf)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, ContentTypes.Png)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, ContentTypes.Jpeg)]
    [InlineData(new byte[] { 0x49, 0x49, 42, 0 }, ContentTypes.Tiff)]
    [InlineData(new byte[] { 0x4D, 0x4D, 0, 42 }, ContentTypes.Tiff)]
    [InlineData(new byte[] { 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x0A }, ContentTypes.Text)]
    public void Magic_numbers_name_the_type(byte[] head, string type) =>
        Assert.Equal(type, ContentSniffer.Sniff(Write("file", head)).ContentType);

    [Fact]
    public void Binary_and_empty_files_are_unreadable_with_a_reason()
    {
        var binary = ContentSniffer.Sniff(Write("binary", [0x00, 0x01, 0x02, 0xFE, 0x4D, 0x5A]));
        var empty = ContentSniffer.Sniff(Write("empty", []));

        Assert.Null(binary.ContentType);
        Assert.Contains("binary", binary.Problem, StringComparison.Ordinal);
        Assert.Equal("The file is empty.", empty.Problem);
    }

    [Fact]
    public void A_zip_is_an_office_document_only_with_its_main_part()
    {
        var docx = Zip("docx", "[Content_Types].xml", "word/document.xml");
        var package = Zip("package", "[Content_Types].xml", "notes.xml");
        var zip = Zip("zip", "notes.txt");

        Assert.Equal(ContentTypes.Docx, ContentSniffer.Sniff(docx).ContentType);
        Assert.Equal("The content is an Open XML package of a kind the pipeline does not read.", ContentSniffer.Sniff(package).Problem);
        Assert.Equal("The content is a zip archive, not an Office document.", ContentSniffer.Sniff(zip).Problem);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Zip(string name, params string[] entries)
    {
        var path = Path.Combine(_folder.FullName, name);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (var entry in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(entry).Open(), Encoding.UTF8);
                writer.Write("<x/>");
            }
        }

        return path;
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
