using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Run;
using Dms.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dms.AppHost.Scanner;

/// <summary>
/// The malware scanner: Debian's clamd as an executable resource, with a signature folder in the state directory that
/// starts with a signature for the EICAR test file (clamd refuses to start without any). Operators add their own
/// signature files (.ndb, .hdb, or a downloaded main.cvd) to that folder. <c>Dms:Scanner:Provider=Disabled</c> runs
/// without a scanner, and every document then records its scan as skipped.
/// </summary>
public static class ScannerResources
{
    public const string EndpointName = "tcp";

    /// <summary>The EICAR anti-malware test string, as a body signature (matches inside archives too).</summary>
    private const string EicarSignature =
        "Dms.Test.EICAR:0:*:58354f2150254041505b345c505a58353428505e2937434329377d2445494341522d5354414e444152442d414e544956495255532d544553542d46494c452124482b482a";

    /// <summary>clamd run here; none in the AWS profile (the worker's task has its own) or when scanning is off.</summary>
    public static IResourceBuilder<ExecutableResource>? AddMalwareScanner(this IDistributedApplicationBuilder builder, DeploymentProfile profile)
    {
        var section = builder.Configuration.GetSection("Dms:Scanner");
        if (profile == DeploymentProfile.Aws || string.Equals(section["Provider"], "Disabled", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // Not proxied, so a stopped clamd refuses connections at once instead of leaving the worker talking to a proxy.
        var port = LocalPorts.Of(section, usual: 3310);
        var state = Path.Combine(StateFolder.Of(builder.Configuration, builder.AppHostDirectory), "clamav");
        var database = Path.Combine(state, "signatures");
        if (builder.ExecutionContext.IsRunMode)
        {
            Directory.CreateDirectory(database);
            File.WriteAllText(Path.Combine(database, "dms-test.ndb"), EicarSignature + "\n");
        }

        var maxBytes = section.GetValue<long?>("MaxFileBytes") ?? ScanLimits.MaxFileBytes;
        var script = Path.Combine(builder.AppHostDirectory, "Scanner", "run-clamd.sh");
        var scanner = builder.AddExecutable("scanner", script, state)
            .WithEndpoint(name: EndpointName, scheme: "tcp", port: port, env: "CLAMD_PORT", isProxied: false)
            .WithEnvironment("CLAMD_STATE", state)
            .WithEnvironment("CLAMD_DATABASE", database)
            .WithEnvironment("CLAMD_MAX_BYTES", maxBytes.ToString(CultureInfo.InvariantCulture))
            .WithHealthCheck("scanner-answers-ping")
            .WithFailureHint(
                $"clamd must be installed (./dms.sh run installs 'clamav-daemon') and port {port} free (ss -ltnp shows who holds it; " +
                "or set Dms:Scanner:Port); to run without a scanner, set Dms:Scanner:Provider=Disabled.");

        builder.Services.AddHealthChecks().AddAsyncCheck("scanner-answers-ping", async cancellationToken =>
        {
            var endpoint = scanner.GetEndpoint(EndpointName);
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
                await using var stream = client.GetStream();
                await stream.WriteAsync("zPING\0"u8.ToArray(), cancellationToken);
                var reply = new byte[16];
                var read = await stream.ReadAsync(reply, cancellationToken);
                return Encoding.ASCII.GetString(reply, 0, read).TrimEnd('\0') == "PONG"
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("clamd did not answer PONG.");
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        });
        return scanner;
    }

    /// <summary>Points the worker at the scanner; without one, hands on the <c>Dms:Scanner</c> settings (a clamd elsewhere, or Disabled).</summary>
    public static IResourceBuilder<ProjectResource> WithScanner(this IResourceBuilder<ProjectResource> project, IResourceBuilder<ExecutableResource>? scanner)
    {
        if (scanner is null)
        {
            return project.WithSettingsOf("Dms:Scanner");
        }

        var endpoint = scanner.GetEndpoint(EndpointName);
        return project
            .WithEnvironment("Dms__Scanner__Provider", "Clamd")
            .WithEnvironment("Dms__Scanner__Host", endpoint.Property(EndpointProperty.Host))
            .WithEnvironment("Dms__Scanner__Port", endpoint.Property(EndpointProperty.Port))
            .WithSettingsOf("Dms:Scanner:MaxFileBytes")
            .WaitFor(scanner);
    }
}
