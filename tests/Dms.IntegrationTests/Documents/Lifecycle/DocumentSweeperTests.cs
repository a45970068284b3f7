using Dms.Audit;
using System.Diagnostics.Metrics;
using System.Text;
using Dms.Adapters.FileSystem;
using Dms.Adapters.Postgres;
using Dms.Documents;
using Dms.Documents.Lifecycle;
using Dms.Documents.Uploads;
using Dms.Idempotency;
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
using Microsoft.Extensions.Logging.Abstractions;
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
    private InterceptedBlobStore _faulty = null!;
    private CreateDocument _create = null!;
    private CompleteUpload _complete = null!;
    private TrashDocument _trash = null!;
    private DocumentSweeper _sweeper = null!;

    public async ValueTask InitializeAsync()
    {
        _owner = await ApiScenario.MigratedDatabaseAsync(postgres);
        await Sql.ScalarAsync(_owner,
            $"INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, created_at, used_bytes) VALUES ('{_tenant}', 'T', 'pro', 1000000, 30, now(), 0)");
        _dataSource = NpgsqlDataSource.Create(postgres.AppConnectionString(_owner));
        _db = NewContext();
        var storage = Options.Create(new StorageOptions { FileSystem = { Root = _blobRoot.FullName, SigningKey = new string('k', 32) } });
        _blobs = new FileSystemBlobStore(storage, new UploadUrlSigner(storage), _time, new TestUploadAddress());
        var search = new PostgresSearchIndex(_db, Options.Create(new SearchOptions()));
        var quota = new StorageQuota(_db);
        var events = Events(_db);
        var limits = Options.Create(new DocumentOptions());
        var audit = new AuditTrail(_db, new AuditContext(), new AuditReadQueue(Options.Create(new AuditOptions())), Options.Create(new AuditOptions()), _time);
        _create = new CreateDocument(_db, new UploadReservation(_db, _blobs, quota, events, limits), audit, limits, _time);
        _complete = NewCompleteUpload(_db, _blobs);
        _trash = new TrashDocument(_db, new DocumentChanges(_db, search, audit), _time);
        _faulty = new InterceptedBlobStore(_blobs);
        _sweeper = new DocumentSweeper(_db, new ReleaseExpiredUpload(_db, _faulty, quota, events, _time), new PurgeDocument(_db, search, quota, audit, _time),
            new DeletePurgedBytes(_db, _faulty), new SweepBackoff(_time),
            Options.Create(new IdempotencyOptions()), _time,
            NullLogger<DocumentSweeper>.Instance);
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
        await TrashedDocumentAsync("kept for thirty days");

        _time.Advance(TimeSpan.FromDays(29));
        var withinRetention = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromDays(1.1));
        var pastRetention = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);

        // The upload's two operation events (initiated, completed) are older than their week of retention by then.
        Assert.Equal(new SweepResult(0, 0, 2), withinRetention);
        Assert.Equal(new SweepResult(0, 1, 0, DeletedBytes: 1), pastRetention);
        Assert.Equal(0L, await UsedBytesAsync());
        Assert.Empty(_blobRoot.EnumerateFiles("*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_complete_committing_while_the_sweeper_releases_its_expired_upload_keeps_the_version_and_its_bytes()
    {
        var content = Encoding.UTF8.GetBytes("completed just in time");
        var pending = await CreateAsync(content.Length);
        await UploadAsync(pending, content);

        // The complete (in time) holds the version's row while it checks the stored bytes; meanwhile the upload
        // expires and the sweeper comes for the row, then the complete commits.
        var checking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new InterceptedBlobStore(_blobs)
        {
            AfterGet = async _ =>
            {
                checking.TrySetResult();
                await proceed.Task;
            },
        };
        await using var completing = NewContext();
        var complete = NewCompleteUpload(completing, held).HandleAsync(_tenant, pending.Document.Id, null, TestContext.Current.CancellationToken);
        await checking.Task;
        _time.Advance(new DocumentOptions().UploadUrlLifetime + TimeSpan.FromSeconds(1));
        var sweep = _sweeper.SweepAsync(TestContext.Current.CancellationToken);
        await WaitForALockWaitAsync();
        proceed.SetResult();
        var completed = await complete;
        var result = await sweep;

        Assert.Null(completed.Error);
        Assert.Equal(0, result.ReleasedUploads);
        Assert.Equal(1L, await Sql.ScalarAsync(_owner, $"SELECT count(*) FROM document_versions WHERE document_id = '{pending.Document.Id}'"));
        Assert.Equal(content.Length, await UsedBytesAsync());
        Assert.NotNull(await _blobs.GetAsync(pending.Version.BlobKey, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_complete_after_the_upload_expired_is_refused()
    {
        var content = Encoding.UTF8.GetBytes("too late");
        var pending = await CreateAsync(content.Length);
        await UploadAsync(pending, content);
        _time.Advance(new DocumentOptions().UploadUrlLifetime + TimeSpan.FromSeconds(1));

        var completed = await _complete.HandleAsync(_tenant, pending.Document.Id, null, TestContext.Current.CancellationToken);

        Assert.Equal("upload-expired", completed.Error?.Code);
        Assert.Equal(1, (await _sweeper.SweepAsync(TestContext.Current.CancellationToken)).ReleasedUploads);
        Assert.Equal(0L, await UsedBytesAsync());
    }

    [Fact]
    public async Task One_item_that_always_fails_is_backed_off_and_stops_neither_this_sweep_nor_the_next()
    {
        var stuck = await CreateAsync(100);
        _time.Advance(TimeSpan.FromSeconds(1));
        var other = await CreateAsync(200);
        _faulty.FailDeleting = BlobKeys.VersionPrefix(_tenant, stuck.Document.Id, 1);
        _time.Advance(new DocumentOptions().UploadUrlLifetime + TimeSpan.FromSeconds(2));

        var first = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);
        var second = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);
        _faulty.FailDeleting = null;
        _time.Advance(SweepBackoff.FirstWait);
        var afterBackoff = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new SweepResult(1, 0, 0, Failed: 1), first);
        Assert.Equal(new SweepResult(0, 0, 0), second);
        Assert.Equal(new SweepResult(1, 0, 0), afterBackoff);
        Assert.Equal(0L, await Sql.ScalarAsync(_owner, $"SELECT count(*) FROM documents WHERE id IN ('{stuck.Document.Id}', '{other.Document.Id}')"));
        Assert.Equal(0L, await UsedBytesAsync());
    }

    [Fact]
    public async Task Purged_bytes_that_cannot_be_deleted_stay_asked_for_and_are_deleted_after_the_back_off()
    {
        var trashed = await TrashedDocumentAsync("purged, then stuck");
        _faulty.FailDeleting = BlobKeys.DocumentPrefix(_tenant, trashed);
        _time.Advance(TimeSpan.FromDays(31));

        var first = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);
        var stillAsked = await Sql.ScalarAsync(_owner, "SELECT count(*) FROM bytes_purges");
        var bytesKept = _blobRoot.EnumerateFiles("*", SearchOption.AllDirectories).Count();
        _faulty.FailDeleting = null;
        var duringBackoff = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);
        _time.Advance(SweepBackoff.FirstWait);
        var afterBackoff = await _sweeper.SweepAsync(TestContext.Current.CancellationToken);

        // The rows and the quota went at once; the bytes wait for their delete, which is not lost when it fails.
        Assert.Equal(new SweepResult(0, 1, 2, Failed: 1), first);
        Assert.Equal(1L, stillAsked);
        Assert.True(bytesKept > 0);
        Assert.Equal(0L, await UsedBytesAsync());
        Assert.Equal(new SweepResult(0, 0, 0), duringBackoff);
        Assert.Equal(new SweepResult(0, 0, 0, DeletedBytes: 1), afterBackoff);
        Assert.Empty(_blobRoot.EnumerateFiles("*", SearchOption.AllDirectories));
        Assert.Equal(0L, await Sql.ScalarAsync(_owner, "SELECT count(*) FROM bytes_purges"));
    }

    /// <summary>A document uploaded, completed and moved to the trash now.</summary>
    private async Task<Guid> TrashedDocumentAsync(string text)
    {
        var content = Encoding.UTF8.GetBytes(text);
        var pending = await CreateAsync(content.Length);
        await UploadAsync(pending, content);
        Assert.Null((await _complete.HandleAsync(_tenant, pending.Document.Id, null, TestContext.Current.CancellationToken)).Error);
        await _trash.HandleAsync(_tenant, pending.Document.Id, TestContext.Current.CancellationToken);
        return pending.Document.Id;
    }

    private DmsDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<DmsDbContext>();
        DmsDbContext.Configure(options, _dataSource);
        return new DmsDbContext(options.Options);
    }

    private UploadEvents Events(DmsDbContext db) =>
        new(db, new UploadMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()), _time);

    /// <summary>The use case as the API builds it, on <paramref name="db"/> and <paramref name="blobs"/>.</summary>
    private CompleteUpload NewCompleteUpload(DmsDbContext db, IBlobStore blobs)
    {
        var events = Events(db);
        return new CompleteUpload(db, blobs, new PostgresSearchIndex(db, Options.Create(new SearchOptions())),
            new UploadReservation(db, blobs, new StorageQuota(db), events, Options.Create(new DocumentOptions())), events, _time);
    }

    /// <summary>Waits until a statement of this database waits for a row lock.</summary>
    private async Task WaitForALockWaitAsync()
    {
        for (var tries = 0; tries < 200; tries++)
        {
            if ((long)(await Sql.ScalarAsync(_owner, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))! > 0)
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail("The sweeper never waited for the row the complete holds.");
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
