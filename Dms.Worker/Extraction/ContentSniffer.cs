using Dms.Documents;
using System.IO.Compression;
using System.Text;

namespace Dms.Worker.Extraction;

/// <summary>Tells a file's real type from its bytes (magic numbers, the parts inside an Office zip), never from its name.</summary>
public static class ContentSniffer
{
    private const int TextProbeBytes = 64 * 1024;

    /// <returns>A type from <see cref="ContentTypes"/>, or a description of what the bytes are when the pipeline cannot read them.</returns>
    public static SniffResult Sniff(string path)
    {
        var head = new byte[TextProbeBytes];
        int length;
        using (var file = File.OpenRead(path))
        {
            length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var bytes = head.AsSpan(0, length);
        return bytes switch
        {
            [] => SniffResult.Unreadable("The file is empty."),
            _ when bytes.StartsWith("%PDF-"u8) || bytes[..Math.Min(1024, bytes.Length)].IndexOf("%PDF-"u8) >= 0 => SniffResult.Of(ContentTypes.Pdf),
            [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => SniffResult.Of(ContentTypes.Png),
            [0xFF, 0xD8, 0xFF, ..] => SniffResult.Of(ContentTypes.Jpeg),
            [(byte)'I', (byte)'I', 42, 0, ..] or [(byte)'M', (byte)'M', 0, 42, ..] => SniffResult.Of(ContentTypes.Tiff),
            [(byte)'P', (byte)'K', 3, 4, ..] => SniffZip(path),
            _ when LooksLikeText(bytes) => SniffResult.Of(ContentTypes.Text),
            _ => SniffResult.Unreadable("The content is binary data of a type the pipeline does not read."),
        };
    }

    /// <summary>Office Open XML files are zips with a main part that names the application.</summary>
    private static SniffResult SniffZip(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (!names.Contains("[Content_Types].xml"))
            {
                return SniffResult.Unreadable("The content is a zip archive, not an Office document.");
            }

            return names switch
            {
                _ when names.Contains("word/document.xml") => SniffResult.Of(ContentTypes.Docx),
                _ when names.Contains("xl/workbook.xml") => SniffResult.Of(ContentTypes.Xlsx),
                _ when names.Contains("ppt/presentation.xml") => SniffResult.Of(ContentTypes.Pptx),
                _ => SniffResult.Unreadable("The content is an Open XML package of a kind the pipeline does not read."),
            };
        }
        catch (InvalidDataException e)
        {
            return SniffResult.Unreadable($"The content starts like a zip archive but is corrupt: {e.Message}");
        }
    }

    /// <summary>UTF-8 (or ASCII) without NUL bytes; a multi-byte character cut at the probe's end is allowed.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf((byte)0) >= 0)
        {
            return false;
        }

        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            var chars = new char[bytes.Length];
            decoder.GetChars(bytes, chars, flush: false);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

/// <summary>A detected type, or why the bytes cannot be read.</summary>
public sealed record SniffResult(string? ContentType, string? Problem)
{
    public static SniffResult Of(string contentType) => new(contentType, null);

    public static SniffResult Unreadable(string problem) => new(null, problem);
}
