namespace Dms.Common;

/// <summary>Why a use case refused: the API turns each kind into its HTTP status.</summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    QuotaExceeded,
    TooLarge,
    UnsupportedType,
    Forbidden,

    /// <summary>Well-formed, but contradicts what was said before (the same idempotency key for another request).</summary>
    Unprocessable,

    /// <summary>A service Dms relies on (the identity provider) refused or could not be reached.</summary>
    Upstream,

    /// <summary>It was there and is no more, for good (a share link expired, revoked or used up).</summary>
    Gone,
}

/// <summary>A refusal with a stable code (the problem type's last part) and a sentence for people.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Detail)
{
    public static Error NotFound(string what) => new(ErrorKind.NotFound, "not-found", $"{what} does not exist.");

    public static Error Invalid(string field, string detail) => new(ErrorKind.Invalid, "invalid-" + field, detail);
}

/// <summary>What a use case gives back: a value or an <see cref="Error"/>.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Error? error) => (Value, Error) = (value, error);

    public T? Value { get; }
    public Error? Error { get; }

    public TResult Match<TResult>(Func<T, TResult> value, Func<Error, TResult> error) => Error is { } refused ? error(refused) : value(Value!);

    /// <summary>A value the implicit conversion cannot take: of an interface type, or null.</summary>
    public static Outcome<T> Of(T value) => new(value, null);

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Error error) => new(default, error);
}
