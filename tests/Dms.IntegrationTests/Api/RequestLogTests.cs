using System.Collections.Concurrent;
using System.Net;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.Extensions.Logging;

namespace Dms.IntegrationTests.Api;

/// <summary>The runbook's log queries read named fields: every request writes one completion line that has them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RequestLogTests(TemporaryPostgres postgres)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_writes_one_line_with_method_path_status_code_and_duration_in_ms()
    {
        var logs = new CapturedLogs();
        var owner = await postgres.CreateDatabaseAsync();
        Assert.Equal(0, await Dms.Migrations.RunnerCommand.RunAsync(["up", "--connection", owner, "--app-password", postgres.AppPassword], TextWriter.Null, TextWriter.Null));
        await using var api = new ApiFactory(postgres.AppConnectionString(owner), logs: logs);
        using var client = api.CreateClient(TestTokens.For(null, Roles.Operator));

        await client.GetAsync("/api/v1/admin/tenants", Cancellation);
        await client.GetAsync("/health", Cancellation);

        var line = Assert.Single(logs.Records, r => r.Category == "Dms.Api.Requests");
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("GET", line.Fields["method"]);
        Assert.Equal("/api/v1/admin/tenants", line.Fields["path"]);
        Assert.Equal(200, line.Fields["statusCode"]);
        Assert.IsType<double>(line.Fields["duration"]);
    }

    [Fact]
    public async Task A_5xx_is_an_error_line_with_the_error()
    {
        var logs = new CapturedLogs();
        // Nothing listens on port 1: the query fails as during a database restart.
        await using var api = new ApiFactory("Host=127.0.0.1;Port=1;Username=dms;Password=x;Database=dms;Timeout=2", logs: logs);
        using var client = api.CreateClient();

        var response = await client.GetAsync("/api/v1/info", Cancellation);

        var line = Assert.Single(logs.Records, r => r.Category == "Dms.Api.Requests");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Equal(503, line.Fields["statusCode"]);
        Assert.Contains("127.0.0.1", (string)line.Fields["error"]!);
    }

    public sealed record Record(string Category, LogLevel Level, IReadOnlyDictionary<string, object?> Fields);

    /// <summary>Keeps every record with its named fields, as a structured log sink (OpenTelemetry, the JSON console) sees them.</summary>
    public sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<Record> _records = new();

        public IReadOnlyList<Record> Records => [.. _records];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _records);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Record> records) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                records.Enqueue(new Record(category, logLevel,
                    (state as IReadOnlyList<KeyValuePair<string, object?>> ?? []).ToDictionary(f => f.Key, f => f.Value)));
        }
    }
}
