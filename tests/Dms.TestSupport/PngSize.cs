using System.Buffers.Binary;

namespace Dms.TestSupport;

/// <summary>A PNG's size as its header (IHDR) says it.</summary>
public static class PngSize
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The longer of the image's width and height; throws when the bytes are not a PNG.</summary>
    public static int LongestSide(byte[] png) =>
        png.Length >= 24 && png.AsSpan(0, 8).SequenceEqual(Signature)
            ? Math.Max(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)))
            : throw new InvalidDataException("These bytes are not a PNG.");
}
