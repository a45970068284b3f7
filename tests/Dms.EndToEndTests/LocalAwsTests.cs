using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Aws;
using Dms.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.EndToEndTests;

/// <summary>
/// What only the local AWS profile does: document bytes are objects in the S3 bucket and failed jobs are messages in
/// the SQS dead-letter queue, both at fauxqs, read through its own API. What fauxqs cannot prove: signatures and
/// expiry of the pre-signed URLs, and S3 versioning.
/// </summary>
[Collection(LocalAwsAppModelCollection.Name)]
public sealed class LocalAwsTests(RunningLocalAwsAppModel running)
{
    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private HttpClient Fauxqs() => new() { BaseAddress = running.Model.App.GetEndpoint("fauxqs", FauxqsResources.EndpointName) };

    [Fact]
    public async Task A_documents_bytes_are_an_object_in_the_bucket_and_no_blob_folder_is_written()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        using var fauxqs = Fauxqs();

        var id = (await DocumentUploads.UploadAsync(editor, Encoding.UTF8.GetBytes("Kept in S3"), "s3.txt", "text/plain", cancellationToken: Cancellation)).Id;
        await DocumentUploads.WaitForStatusAsync(editor, id, ["ready"], TimeSpan.FromMinutes(1), Cancellation);
        var listing = await fauxqs.GetStringAsync($"/{LocalAwsStorage.Bucket}?list-type=2&prefix=de300000-0000-4000-8000-000000000001/documents/{id}/", Cancellation);

        Assert.Contains($"<Key>de300000-0000-4000-8000-000000000001/documents/{id}/v1/", listing);
        Assert.False(Directory.Exists(Path.Combine(running.Model.StateDirectory, "blobs")));
    }

    [Fact]
    public async Task A_job_the_worker_gives_up_on_is_a_message_in_the_sqs_dead_letter_queue_until_purged()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        using var fauxqs = Fauxqs();
        var commands = running.Model.App.Services.GetRequiredService<ResourceCommandService>();
        var stopped = await commands.ExecuteCommandAsync("scanner", KnownResourceCommands.StopCommand, Cancellation);
        Assert.True(stopped.Success, stopped.Message);
        try
        {
            var id = (await DocumentUploads.UploadAsync(editor, Encoding.UTF8.GetBytes("No scanner"), "dead.txt", "text/plain", cancellationToken: Cancellation)).Id;
            var failed = await DocumentUploads.WaitForStatusAsync(editor, id, ["failed"], TimeSpan.FromMinutes(1), Cancellation);
            // The worker records the failure, then sends the job to the dead-letter queue.
            var deadLetters = await DeadLetterMessagesAsync(fauxqs, until: messages => messages.Any(m => m.Contains(id.ToString(), StringComparison.Ordinal)));
            var purged = await commands.ExecuteCommandAsync("worker", "purge-dead-letters", Cancellation);

            Assert.Equal("failed", failed.Status);
            Assert.Contains(deadLetters, m => m.Contains(id.ToString(), StringComparison.Ordinal));
            Assert.True(purged.Success, purged.Message);
            Assert.Empty(await DeadLetterMessagesAsync(fauxqs));
        }
        finally
        {
            await running.Model.StartAgainAsync("scanner", CancellationToken.None);
        }
    }

    [Fact]
    public async Task Fauxqs_killed_is_started_again_with_its_bucket_and_queues_and_a_new_document_ends_ready()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        var killed = ResourceProcesses.ProcessIdOf(running.Model, "fauxqs");

        // fauxqs keeps everything in memory: what it held is gone with it, as a lost bucket would be. The run starts it
        // again, and a new document must find the bucket and queues there.
        ResourceProcesses.Kill(killed);
        await ResourceProcesses.WaitUntilAsync(() => ResourceProcesses.ProcessIdOf(running.Model, "fauxqs") is var now && now != killed && now != 0,
            TimeSpan.FromMinutes(1), "a new fauxqs process", Cancellation);
        await ResourceProcesses.WaitHealthyAsync(running.Model, "fauxqs", TimeSpan.FromMinutes(1), Cancellation);
        var id = (await DocumentUploads.UploadAsync(editor, Encoding.UTF8.GetBytes("Sent after fauxqs came back"), "after.txt", "text/plain",
            cancellationToken: Cancellation)).Id;
        var ended = await DocumentUploads.WaitForStatusAsync(editor, id, ["ready"], TimeSpan.FromMinutes(1), Cancellation);

        Assert.Equal("ready", ended.Status);
    }

    /// <summary>
    /// The messages in the dead-letter queue, as fauxqs's inspection endpoint shows them: at once, or once
    /// <paramref name="until"/> holds (as last seen after 30 seconds).
    /// </summary>
    private async Task<List<string>> DeadLetterMessagesAsync(HttpClient fauxqs, Func<List<string>, bool>? until = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var queue = await fauxqs.GetFromJsonAsync<JsonElement>($"/_fauxqs/queues/{LocalAwsStorage.DeadLetterQueueName}", Cancellation);
            List<string> messages = [.. queue.GetProperty("messages").EnumerateObject().SelectMany(state => state.Value.EnumerateArray()).Select(m => m.GetRawText())];
            if (until is null || until(messages) || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(100, Cancellation);
        }
    }
}
