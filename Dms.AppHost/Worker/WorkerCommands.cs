using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Dms.Contracts;

namespace Dms.AppHost.Worker;

/// <summary>
/// Dashboard buttons on the worker resource for the runbook's tasks: redrive every dead letter (after the cause is
/// fixed) or purge them, and rebuild the search index. They call the worker's command endpoints with a key only the
/// AppHost and the worker know.
/// </summary>
public static class WorkerCommands
{
    public static IResourceBuilder<ProjectResource> WithDeadLetterCommands(this IResourceBuilder<ProjectResource> worker)
    {
        var builder = worker.ApplicationBuilder;
        if (builder.ExecutionContext.IsPublishMode)
        {
            // The buttons are the local dashboard's; a deployment gives the key its own way, or none (the routes refuse all).
            return worker.WithEnvironment(DashboardCommands.KeySetting.Replace(":", "__", StringComparison.Ordinal), builder.AddParameter("worker-command-key", secret: true));
        }

        var key = LocalSecrets.ReadOrCreate(StateFolder.Of(builder.Configuration, builder.AppHostDirectory), "worker-command-key");
        return worker
            .WithEnvironment(DashboardCommands.KeySetting.Replace(":", "__", StringComparison.Ordinal), key)
            .WithCommand("redrive-dead-letters", "Redrive dead letters", context => SendAsync(worker, key, DashboardCommands.RedriveDeadLetters, "dead letters redriven", context),
                new CommandOptions { Description = "Puts every dead-lettered job back on the queue.", IconName = "ArrowRedo", UpdateState = RunningOnly })
            .WithCommand("purge-dead-letters", "Purge dead letters", context => SendAsync(worker, key, DashboardCommands.PurgeDeadLetters, "dead letters purged", context),
                new CommandOptions
                {
                    Description = "Deletes every dead-lettered job; their documents stay failed.",
                    IconName = "Delete",
                    ConfirmationMessage = "Delete every dead letter? Their documents stay failed.",
                    UpdateState = RunningOnly,
                })
            .WithCommand("reindex-search", "Reindex search", context => SendAsync(worker, key, DashboardCommands.ReindexSearch, "documents reindexed", context),
                new CommandOptions { Description = "Rebuilds every tenant's search index from the stored text.", IconName = "ArrowSync", UpdateState = RunningOnly });
    }

    private static ResourceCommandState RunningOnly(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> SendAsync(
        IResourceBuilder<ProjectResource> worker, string key, string action, string done, ExecuteCommandContext context)
    {
        // A reindex of many documents takes a while; the worker answers when it is done.
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(worker.GetEndpoint("http").Url), $"{DashboardCommands.Route}/{action}"));
        request.Headers.Add(DashboardCommands.KeyHeader, key);
        try
        {
            using var response = await client.SendAsync(request, context.CancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return CommandResults.Failure($"The worker answered {(int)response.StatusCode}.");
            }

            var result = await response.Content.ReadFromJsonAsync<CountResult>(context.CancellationToken);
            return CommandResults.Success($"{result?.Count ?? 0} {done}.");
        }
        catch (HttpRequestException e)
        {
            return CommandResults.Failure($"The worker could not be reached: {e.Message}");
        }
    }

    private sealed record CountResult(long Count);
}
