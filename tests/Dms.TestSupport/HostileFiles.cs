using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Dms.TestSupport;

/// <summary>
/// Files built to exhaust whoever reads them, small to send: zip and Flate bombs, images whose headers promise
/// billions of pixels, PDFs of huge pages. The tests of the extractor's budgets and the isolation benchmark share them.
/// </summary>
public static class HostileFiles
{
    /// <summary>
    /// A zip of parts of the given sizes, each one XML element repeated, compressed as far as Deflate goes (about a
    /// thousand to one). Named <c>word/document.xml</c>, <c>xl/workbook.xml</c> or <c>ppt/presentation.xml</c>, it
    /// passes for a Word, Excel or PowerPoint file.
    /// </summary>
    public static byte[] ZipBomb(params (string Name, long Bytes)[] parts)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<w:t>aaaa</w:t>", 4096)));
            foreach (var (name, bytes) in parts)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                for (long written = 0; written < bytes; written += chunk.Length)
                {
                    entry.Write(chunk);
                }
            }
        }

        return zip.ToArray();
    }

    /// <summary>
    /// The zip with the named entry's uncompressed size rewritten to <paramref name="declaredBytes"/> in its central
    /// directory and local header: an archive that lies about what it inflates to (.NET will not write one).
    /// </summary>
    public static byte[] WithDeclaredSize(byte[] zip, string entryName, uint declaredBytes)
    {
        var lying = zip.ToArray();
        for (var at = 0; at + 46 <= lying.Length; at++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(lying.AsSpan(at)) != 0x02014b50)
            {
                continue;
            }

            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(lying.AsSpan(at + 28));
            if (Encoding.UTF8.GetString(lying, at + 46, nameLength) == entryName)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(at + 24), declaredBytes);
                var local = (int)BinaryPrimitives.ReadUInt32LittleEndian(lying.AsSpan(at + 42));
                BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(local + 22), declaredBytes);
                return lying;
            }
        }

        throw new ArgumentException($"The zip has no entry {entryName}.", nameof(entryName));
    }

    /// <summary>A one-page PDF whose content stream is <paramref name="bytes"/> of drawing operators, Flate-compressed.</summary>
    public static byte[] FlateBombPdf(long bytes)
    {
        using var compressed = new MemoryStream();
        using (var deflate = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0 0 m 1 1 l S\n", 4096)));
            for (long written = 0; written < bytes; written += chunk.Length)
            {
                deflate.Write(chunk);
            }
        }

        return Pdf([$"<< /Length {compressed.Length} /Filter /FlateDecode >>"], [compressed.ToArray()], points: 612);
    }

    /// <summary>A PDF of empty pages, each <paramref name="points"/> square (9,600 pt is a 40,000-pixel bitmap at 300 dpi).</summary>
    public static byte[] EmptyPagesPdf(int pages, int points) =>
        Pdf([.. Enumerable.Repeat("<< /Length 0 >>", pages)], [.. Enumerable.Repeat(Array.Empty<byte>(), pages)], points);

    /// <summary>A PNG signature and header for an image of the given size, followed by an empty image stream.</summary>
    public static byte[] PngHeader(int width, int height)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale
        Chunk(png, "IHDR", header);
        using (var data = new MemoryStream())
        {
            using (new ZLibStream(data, CompressionLevel.Optimal, leaveOpen: true))
            {
            }

            Chunk(png, "IDAT", data.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A baseline JPEG's start and frame header for an image of the given size (at most 65,535 a side), and its end.</summary>
    public static byte[] JpegHeader(ushort width, ushort height)
    {
        var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        // SOF0: length 11, 8 bits, height, width, one component (id 1, sampling 1×1, table 0).
        jpeg.Write([0xFF, 0xC0, 0x00, 0x0B, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x01, 0x01, 0x11, 0x00]);
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary>A little-endian TIFF whose one page declares the given size, with a single byte of image data.</summary>
    public static byte[] TiffHeader(int width, int height)
    {
        (ushort Tag, ushort Type, int Value)[] entries =
        [
            (256, 4, width), // ImageWidth (LONG)
            (257, 4, height), // ImageLength
            (258, 3, 8), // BitsPerSample
            (259, 3, 1), // no compression
            (262, 3, 1), // black is zero
            (273, 4, 8), // StripOffsets: the byte after the header
            (278, 4, height), // RowsPerStrip
            (279, 4, 1), // StripByteCounts
        ];
        var tiff = new byte[8 + 1 + 1 + 2 + entries.Length * 12 + 4];
        "II"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
        const int directory = 10;
        BinaryPrimitives.WriteInt32LittleEndian(tiff.AsSpan(4), directory);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(directory), (ushort)entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var at = tiff.AsSpan(directory + 2 + i * 12);
            BinaryPrimitives.WriteUInt16LittleEndian(at, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(at[2..], entries[i].Type);
            BinaryPrimitives.WriteInt32LittleEndian(at[4..], 1);
            if (entries[i].Type == 3)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(at[8..], (ushort)entries[i].Value);
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(at[8..], entries[i].Value);
            }
        }

        return tiff;
    }

    /// <summary>A PDF of one page per content stream, each <paramref name="points"/> square.</summary>
    private static byte[] Pdf(string[] streamDictionaries, byte[][] streams, int points)
    {
        var pdf = new MemoryStream();
        var offsets = new List<long>();
        void Text(string s) => pdf.Write(Encoding.ASCII.GetBytes(s));
        var pages = streams.Length;
        Text("%PDF-1.4\n");
        offsets.Add(pdf.Position);
        Text("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        offsets.Add(pdf.Position);
        Text($"2 0 obj\n<< /Type /Pages /Kids [{string.Join(" ", Enumerable.Range(0, pages).Select(i => $"{3 + 2 * i} 0 R"))}] /Count {pages} >>\nendobj\n");
        for (var i = 0; i < pages; i++)
        {
            offsets.Add(pdf.Position);
            Text($"{3 + 2 * i} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {points} {points}] /Contents {4 + 2 * i} 0 R >>\nendobj\n");
            offsets.Add(pdf.Position);
            Text($"{4 + 2 * i} 0 obj\n{streamDictionaries[i]}\nstream\n");
            pdf.Write(streams[i]);
            Text("\nendstream\nendobj\n");
        }

        var xref = pdf.Position;
        Text($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n{string.Concat(offsets.Select(o => $"{o:D10} 00000 n \n"))}trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, System.IO.Hashing.Crc32.HashToUInt32(typed));
        png.Write(number);
    }
}
