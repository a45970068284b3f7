using System.Diagnostics.Metrics;
using System.Text;
using Dms.Adapters.FileSystem;
using Dms.Adapters.Postgres;
using Dms.Documents;
using Dms.Documents.Lifecycle;
using Dms.Documents.Uploads;
using Dms.IntegrationTests.Fixtures;
using Dms.Migrations;
using Dms.Operations;
using Dms.Persistence;
using Dms.Search;
using Dms.Storage;
using Dms.Tenants.Quota;
using Dms.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Dms.IntegrationTests.Documents.Lifecycle;

[Collection(PostgresCollection.Name)]
public sealed class DocumentSweeperTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly DirectoryInfo _blobRoot = Directory.CreateTempSubdirectory("dms-test-sweep-");
    private readonly Guid _tenant = Guid.NewGuid();
    private string _owner = null!;
    private NpgsqlDataSource _dataSource = null!;
    private DmsDbContext _db = null!;
    private FileSystemBlobStore _blobs = null!;
    private CreateDocument _create = null!;
    private CompleteUpload _complete = null!;
    private TrashDocument _trash = null!;
    private DocumentSweeper _sweeper = null!;

    public async ValueTask InitializeAsync()
    {
        _owner = await postgres.CreateDatabaseAsync();
        await RunnerCommand.RunAsync(["up", "--connection", _owner, "--app-password", postgres.AppPassword], TextWriter.Null, TextWriter.Null);
        await Sql.ScalarAsync(_owner,
            $"INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, created_at, used_bytes) VALUES ('{_tenant}', 'T', 'pro', 1000000, 30, now(), 0)");
        _dataSource = NpgsqlDataSource.Create(postgres.AppConnectionString(_owner));
        var options = new DbContextOptionsBuilder<DmsDbContext>();
        DmsDbContext.Configure(options, _dataSource);
        _db = new DmsDbContext(options.Options);
        var storage = Options.Create(new StorageOptions { FileSystem = { Root = _blobRoot.FullName, SigningKey = new string('k', 32) } });
        _blobs = new FileSystemBlobStore(storage, new UploadUrlSigner(storage), _time, new TestUploadAddress());
        var search = new PostgresSearchIndex(_db, Options.Create(new SearchOptions()));
        var quota = new StorageQuota(_db);
        var events = new UploadEvents(_db, new UploadMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()), _time);
        var limits = Options.Create(new DocumentOptions());
        var reservation = new UploadReservation(_db, _blobs, quota, events, limits);
        _create = new CreateDocument(_db, reservation, limits, _time);
        _complete = new CompleteUpload(_db, _blobs, search, reservation, events, _time);
        _trash = new TrashDocument(new DocumentChanges(_db, search), _time);
        _sweeper = new DocumentSweeper(_db, new ReleaseExpiredUpload(_db, _blobs, quota, events, _time), new PurgeDocument(_db, _blobs, search, quota), _time);
    }

    [Fact]
    public async Task An_upload_never_completed_is_released_once_its_url_expires()
    {
        var pending = await CreateAsync(500);

        var early = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);
        _time.Advance(new DocumentOptions().UploadUrlLifetime + TimeSpan.FromSeconds(1));
        var late = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new SweepResult(0, 0, 0), early);
        Assert.Equal(new SweepResult(1, 0, 0), late);
        Assert.Equal(0L, await UsedBytesAsync());
        Assert.Equal(1L, await Sql.ScalarAsync(_owner, "SELECT count(*) FROM operation_events WHERE kind = 'upload' AND outcome = 'expired'"));
        Assert.Equal(0L, await Sql.ScalarAsync(_owner, $"SELECT count(*) FROM documents WHERE id = '{pending.Document.Id}'"));
    }

    [Fact]
    public async Task A_document_in_the_trash_past_retention_is_purged_with_its_bytes()
    {
        var content = Encoding.UTF8.GetBytes("kept for thirty days");
        var pending = await CreateAsync(content.Length);
        await UploadAsync(pending, content);
        Assert.Null((await _complete.HandleAsync(_tenant, pending.Document.Id, null, TestContext.Current.CancellationToken)).Error);
        await _trash.HandleAsync(_tenant, pending.Document.Id, TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromDays(29));
        var withinRetention = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromDays(1.1));
        var pastRetention = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);

        // The upload's two operation events (initiated, completed) are older than their week of retention by then.
        Assert.Equal(new SweepResult(0, 0, 2), withinRetention);
        Assert.Equal(new SweepResult(0, 1, 0), pastRetention);
        Assert.Equal(0L, await UsedBytesAsync());
        Assert.Empty(_blobRoot.EnumerateFiles("*", SearchOption.AllDirectories));
    }

    private async Task<PendingUpload> CreateAsync(long size)
    {
        var outcome = await _create.HandleAsync(_tenant, new CreateDocument.Command("a.txt", "text/plain", size, null, null, null),
            TestContext.Current.CancellationToken);
        Assert.Null(outcome.Error);
        return outcome.Value!;
    }

    private async Task UploadAsync(PendingUpload pending, byte[] content)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(pending.Upload.Url!).Query);
        var received = await _blobs.ReceiveAsync(pending.Version.BlobKey, content.Length, null, long.Parse(query["expires"]!), query["signature"]!,
            content.Length, new MemoryStream(content), TestContext.Current.CancellationToken);
        Assert.Null(received.Error);
    }

    private async Task<long> UsedBytesAsync() => (long)(await Sql.ScalarAsync(_owner, $"SELECT used_bytes FROM tenants WHERE id = '{_tenant}'"))!;

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        await _dataSource.DisposeAsync();
        _blobRoot.Delete(recursive: true);
    }
}
