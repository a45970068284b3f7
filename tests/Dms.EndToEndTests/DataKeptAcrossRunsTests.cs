using Npgsql;

namespace Dms.EndToEndTests;

public sealed class DataKeptAcrossRunsTests
{
    [Fact]
    public async Task A_second_run_on_the_same_state_folder_keeps_the_data()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var state = AppModel.CreateStateDirectory();
        try
        {
            var tenantName = $"kept-{Guid.NewGuid():N}";
            await using (var first = await AppModel.StartAsync(state.FullName, cancellation, localIdentity: false))
            {
                await ExecuteAsync(first, cancellation,
                    "INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, created_at, used_bytes) " +
                    $"VALUES (gen_random_uuid(), '{tenantName}', 'pro', 1073741824, 30, now(), 0)");
            }

            await using var second = await AppModel.StartAsync(state.FullName, cancellation, localIdentity: false);
            var count = await ExecuteAsync(second, cancellation, $"SELECT count(*) FROM tenants WHERE name = '{tenantName}'");

            Assert.Equal(1L, count);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    private static async Task<object?> ExecuteAsync(AppModel model, CancellationToken cancellation, string sql)
    {
        var connectionString = await model.App.GetConnectionStringAsync("postgres", cancellation);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellation);
    }
}
