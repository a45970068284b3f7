using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
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
        var owner = await ApiScenario.MigratedDatabaseAsync(postgres);
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
        using var client = api.CreateClient(TestTokens.For(null, Roles.Operator));

        var response = await client.GetAsync("/api/v1/admin/info", Cancellation);

        var line = Assert.Single(logs.Records, r => r.Category == "Dms.Api.Requests");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Equal(503, line.Fields["statusCode"]);
        Assert.Contains("127.0.0.1", (string)line.Fields["error"]!);
    }

    [Fact]
    public async Task A_request_whose_client_went_away_during_its_transaction_is_logged_as_closed_by_the_client_not_as_an_error()
    {
        var logs = new CapturedLogs();
        var owner = await ApiScenario.MigratedDatabaseAsync(postgres);
        await using var api = new ApiFactory(postgres.AppConnectionString(owner), logs: logs);
        using var operatorClient = api.CreateClient(TestTokens.For(null, Roles.Operator));
        var tenant = await ApiScenario.CreateTenantAsync(operatorClient, "Tenant", 1_000_000);
        using var editor = api.CreateClient(TestTokens.For(tenant, Roles.Editor));

        // The tenant's row locked (not its key), so the create's commit waits to apply the quota charge.
        await using var locker = new Npgsql.NpgsqlConnection(owner);
        await locker.OpenAsync(Cancellation);
        await using var lockTransaction = await locker.BeginTransactionAsync(Cancellation);
        await using (var lockRow = new Npgsql.NpgsqlCommand($"SELECT 1 FROM tenants WHERE id = '{tenant}' FOR NO KEY UPDATE", locker, lockTransaction))
        {
            await lockRow.ExecuteScalarAsync(Cancellation);
        }

        using var client = new CancellationTokenSource();
        var create = editor.PostAsJsonAsync("/api/v1/documents", new { fileName = "a.txt", contentType = "text/plain", sizeBytes = 10 }, client.Token);
        for (var waited = 0; await Sql.ScalarAsync(owner, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query = 'COMMIT'") is 0L; waited++)
        {
            Assert.True(waited < 200, "The create never waited on the tenant's row.");
            await Task.Delay(50, Cancellation);
        }

        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => create);
        var line = await WaitForAsync(() => logs.Records.SingleOrDefault(r => r.Category == "Dms.Api.Requests" && (string?)r.Fields["path"] == "/api/v1/documents"));
        await lockTransaction.RollbackAsync(Cancellation);

        Assert.Equal(499, line.Fields["statusCode"]);
        Assert.Equal(LogLevel.Information, line.Level);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe) where T : class
    {
        for (var waited = 0; ; waited++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            Assert.True(waited < 200, "Nothing came within ten seconds.");
            await Task.Delay(50, Cancellation);
        }
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
