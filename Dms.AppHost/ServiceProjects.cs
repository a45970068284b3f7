using System.Reflection;
using System.Runtime.Versioning;
using Aspire.Hosting.ApplicationModel;

namespace Dms.AppHost;

/// <summary>The solution's own services (migrations, api, worker) as the AppHost runs them.</summary>
public static class ServiceProjects
{
    /// <summary>
    /// Adds a project of this solution, run from its build output rather than through <c>dotnet run</c>: the
    /// <c>dotnet run</c> wrapper does not pass on SIGTERM, so each service stood about ten seconds before it was
    /// killed at every stop. It serves plain HTTP on this machine, so it asks for no development certificate (whose
    /// absence the dashboard would show as an error).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddServiceProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
#pragma warning disable ASPIRECERTIFICATES001 // evaluation API; the services serve plain HTTP here, and in AWS TLS ends at the load balancer
        var project = builder.AddProject<TProject>(name).WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
        var projectFile = new TProject().ProjectPath;
        var directory = Path.GetDirectoryName(projectFile)!;
        var program = Path.Combine(directory, "bin", BuildConfiguration, TargetFramework, Path.GetFileNameWithoutExtension(projectFile));
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"{program} is not built: build the solution first (./dms.sh run and ./dms.sh test do).");
        }

        return project
            .WithAnnotation(new ExecutableAnnotation { Command = program, WorkingDirectory = directory }, ResourceAnnotationMutationBehavior.Replace)
            // The dashboard stops with everything else; telemetry a service still holds then cannot reach it, and the
            // exporter would retry for about six seconds before the service may end.
            .WithEnvironment("OTEL_EXPORTER_OTLP_TIMEOUT", "1000");
    }

    /// <summary>The AppHost's own build configuration (Debug, Release), which its referenced projects were built with.</summary>
    private static string BuildConfiguration =>
        typeof(ServiceProjects).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The target framework's folder name (net10.0), shared by every project of the solution (Directory.Build.props).</summary>
    private static string TargetFramework =>
        typeof(ServiceProjects).Assembly.GetCustomAttribute<TargetFrameworkAttribute>() is { } framework
            ? $"net{new FrameworkName(framework.FrameworkName).Version.ToString(2)}"
            : throw new InvalidOperationException("The AppHost names no target framework.");
}
