using System.Text.RegularExpressions;
using Dms.Common;

namespace Dms.Documents.Uploads;

/// <summary>What a client says about the bytes it is about to upload, checked before anything is reserved.</summary>
public sealed partial record UploadRequest(string? FileName, string? ContentType, long? SizeBytes, string? Sha256)
{
    public Error? Validate(DocumentOptions limits)
    {
        if (string.IsNullOrWhiteSpace(FileName))
        {
            return Error.Invalid("file-name", "fileName is required.");
        }

        if (FileName.Length > limits.MaxFileNameLength)
        {
            return Error.Invalid("file-name", $"fileName is {FileName.Length} characters; at most {limits.MaxFileNameLength} are allowed.");
        }

        if (FileName.Any(char.IsControl))
        {
            return Error.Invalid("file-name", "fileName must not contain control characters.");
        }

        if (FileName.IndexOfAny(['/', '\\']) >= 0 || FileName.Trim() is "." or "..")
        {
            return Error.Invalid("file-name", "fileName must be a plain file name, not a path.");
        }

        if (string.IsNullOrWhiteSpace(ContentType))
        {
            return Error.Invalid("content-type", "contentType is required.");
        }

        if (!limits.AllowedContentTypes.Contains(ContentType, StringComparer.OrdinalIgnoreCase))
        {
            return new Error(ErrorKind.UnsupportedType, "unsupported-content-type",
                $"contentType '{ContentType}' is not accepted; accepted: {string.Join(", ", limits.AllowedContentTypes)}.");
        }

        if (SizeBytes is null or < 1)
        {
            return Error.Invalid("size", "sizeBytes must be a positive number of bytes.");
        }

        if (SizeBytes > limits.MaxSizeBytes)
        {
            return new Error(ErrorKind.TooLarge, "file-too-large", $"sizeBytes is {SizeBytes}; at most {limits.MaxSizeBytes} bytes are accepted.");
        }

        if (Sha256 is not null && !Sha256Pattern().IsMatch(Sha256))
        {
            return Error.Invalid("sha256", "sha256 must be 64 hexadecimal characters.");
        }

        return null;
    }

    /// <summary>The content type as stored: lower case, the way the allowed list spells it.</summary>
    public string NormalizedContentType => ContentType!.ToLowerInvariant();

    public string? NormalizedSha256 => Sha256?.ToLowerInvariant();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
