namespace Dms.EndToEndTests;

public sealed class AppHostSettingsTests
{
    [Theory]
    [InlineData("Dms:Postgres:Mode", "Bogus")]
    [InlineData("Dms:Postgres:Port", "70000")]
    [InlineData("Dms:Profile", "Cloud")]
    [InlineData("Dms:Profile", "Aws")]
    [InlineData("Dms:Run:StartLimit", "soon")]
    [InlineData("Dms:Run:UnhealthyLimit", "-00:01:00")]
    [InlineData("Dms:Run:CrashLoopExits", "0")]
    public async Task A_wrong_setting_stops_start_up_naming_the_key(string key, string value)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Dms_AppHost>(
                [$"--{key}={value}"], TestContext.Current.CancellationToken);
            await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        });

        var messages = string.Join(" | ", Flatten(failure).Select(e => e.Message));
        Assert.Contains(key, messages);
        Assert.Contains(value, messages);
    }

    [Fact]
    public async Task A_user_pool_without_its_app_client_stops_start_up_naming_the_missing_key()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Dms_AppHost>(
                ["--Dms:Identity:Authority=https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI"], TestContext.Current.CancellationToken);
            await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        });

        Assert.Contains("Dms:Identity:Audience is required", string.Join(" | ", Flatten(failure).Select(e => e.Message)));
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
