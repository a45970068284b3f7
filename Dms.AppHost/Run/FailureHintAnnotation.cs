using Aspire.Hosting.ApplicationModel;

namespace Dms.AppHost.Run;

/// <summary>What to do when this resource fails: printed by <see cref="RunMonitor"/> under its last log lines.</summary>
public sealed record FailureHintAnnotation(string Hint) : IResourceAnnotation;

public static class FailureHints
{
    public static IResourceBuilder<T> WithFailureHint<T>(this IResourceBuilder<T> resource, string hint) where T : IResource =>
        resource.WithAnnotation(new FailureHintAnnotation(hint));
}
