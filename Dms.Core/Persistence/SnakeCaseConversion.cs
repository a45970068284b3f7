using Dms.Common;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Dms.Persistence;

/// <summary>Stores an enum as its snake_case name (<c>pending_upload</c>), the way SQL and the API spell it.</summary>
public static class SnakeCaseConversion
{
    public static PropertyBuilder<T> HasSnakeCaseConversion<T>(this PropertyBuilder<T> property) where T : struct, Enum =>
        property.HasConversion(new SnakeCaseConverter<T>());

    public static PropertyBuilder<T?> HasSnakeCaseConversion<T>(this PropertyBuilder<T?> property) where T : struct, Enum =>
        property.HasConversion(new SnakeCaseConverter<T>());

    private sealed class SnakeCaseConverter<T>() : ValueConverter<T, string>(v => SnakeCaseNames<T>.ToName(v), s => SnakeCaseNames<T>.Parse(s))
        where T : struct, Enum;
}
