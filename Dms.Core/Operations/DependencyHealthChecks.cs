using Dms.Queue;
using Dms.Search;
using Dms.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Dms.Operations;

/// <summary>
/// <c>/health</c> entries for what api and worker both depend on, one per dependency, so an operator sees which is
/// down: the queue, the document storage and the search index (the database has its own entry from Aspire).
/// </summary>
public static class DependencyHealthChecks
{
    public static IHostApplicationBuilder AddDependencyHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDependencyCheck("queue", async (services, token) =>
            {
                var depth = await services.GetRequiredService<IJobQueue>().GetDepthAsync(token);
                return $"{depth.Waiting} jobs waiting, {depth.DeadLetters} dead letters.";
            })
            .AddDependencyCheck("storage", (services, token) => services.GetRequiredService<IBlobStore>().CheckAsync(token))
            .AddDependencyCheck("search", (services, token) => services.GetRequiredService<ISearchIndex>().CheckAsync(token));
        return builder;
    }

    /// <summary>A check that is healthy when <paramref name="probe"/> answers (its answer is the description) and unhealthy when it throws.</summary>
    public static IHealthChecksBuilder AddDependencyCheck(
        this IHealthChecksBuilder checks, string name, Func<IServiceProvider, CancellationToken, Task<string>> probe) =>
        checks.Add(new HealthCheckRegistration(name, services => new ProbeCheck(services, probe), HealthStatus.Unhealthy, tags: null));

    private sealed class ProbeCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<string>> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                return HealthCheckResult.Healthy(await probe(scope.ServiceProvider, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e);
            }
        }
    }
}
