namespace Dms.Api.Problems;

/// <summary>
/// The stable <c>type</c> of every problem the API answers with (RFC 9457). Clients switch on these, never on the text.
/// </summary>
public static class ProblemTypes
{
    private const string Prefix = "urn:dms:problem:";

    public const string BadRequest = Prefix + "bad-request";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string Forbidden = Prefix + "forbidden";
    public const string NotFound = Prefix + "not-found";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string Conflict = Prefix + "conflict";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string DatabaseUnavailable = Prefix + "database-unavailable";
    public const string InternalError = Prefix + "internal-error";

    /// <summary>The type of a use case's refusal, by its code (<c>quota-exceeded</c>).</summary>
    public static string For(string code) => Prefix + code;

    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => BadRequest,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status409Conflict => Conflict,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status503ServiceUnavailable => DatabaseUnavailable,
        >= 500 => InternalError,
        _ => Prefix + status,
    };
}
