using System.Text.Json;
using Dms.Contracts.Http;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dms.Audit;

/// <summary>
/// Where copies of the sealed audit chains are kept outside the database: a folder, or an S3 bucket whose Object Lock
/// in compliance mode (the AWS template's) keeps every file unchanged and undeleted, by anyone, for its retention.
/// </summary>
public interface IAuditArchive
{
    /// <summary>Writes a new file under <paramref name="key"/>; a file already there is never replaced.</summary>
    Task WriteAsync(string key, Stream content, CancellationToken cancellationToken);
}

/// <summary>A file of the archive: which links of a tenant's chain it holds (the next file starts after <see cref="ToPosition"/>).</summary>
public sealed class AuditArchiveFile
{
    public Guid TenantId { get; set; }
    public long FromPosition { get; set; }
    public long ToPosition { get; set; }
    public required string Key { get; set; }
    public DateTimeOffset ArchivedAt { get; set; }
}

/// <summary>One line of an archive file: the link (its place and hashes) and the event it seals, as the API shows events.</summary>
public sealed record AuditArchiveLine(long Position, string PreviousHash, string Hash, AuditEventResponse Event);

/// <summary>
/// Copies each tenant's audit chain to the archive (<see cref="AuditOptions.ArchiveInterval"/>: daily by default): one
/// NDJSON file of the links sealed since the tenant's last file (at most <see cref="MaxLinksPerFile"/>), named
/// <c>audit/{tenant}/{date}-links-{from}-{to}.ndjson</c>, recorded in <c>audit_archives</c> so the next copy starts
/// after it. A file carries each link's hashes: an event changed in the database afterwards no longer matches the copy
/// nobody can change. A tenant whose copy fails is tried again next time; the others go on.
/// </summary>
public sealed partial class AuditArchiver(DmsDbContext db, IAuditArchive archive, TimeProvider time, ILogger<AuditArchiver> logger)
{
    public const int MaxLinksPerFile = 100_000;
    private const int Page = 2_000;

    /// <summary>One copy of every tenant's new links: the files written, and how many tenants' copies failed.</summary>
    public async Task<(IReadOnlyList<AuditArchiveFile> Written, int Failed)> ArchiveAsync(CancellationToken cancellationToken)
    {
        List<Guid> tenants;
        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(cancellationToken);
        }

        var written = new List<AuditArchiveFile>();
        var failed = 0;
        foreach (var tenantId in tenants)
        {
            try
            {
                if (await ArchiveTenantAsync(tenantId, cancellationToken) is { } file)
                {
                    written.Add(file);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                db.ChangeTracker.Clear();
                failed++;
                LogFailed(logger, e, tenantId);
            }
        }

        return (written, failed);
    }

    private async Task<AuditArchiveFile?> ArchiveTenantAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        long after;
        long? head;
        using (db.ReadAsTenant(tenantId))
        {
            after = await db.AuditArchiveFiles.Where(f => f.TenantId == tenantId).MaxAsync(f => (long?)f.ToPosition, cancellationToken) ?? 0;
            head = await db.AuditSeals.Where(s => s.TenantId == tenantId && s.Position > after).MaxAsync(s => (long?)s.Position, cancellationToken);
        }

        if (head is not { } last)
        {
            return null;
        }

        var to = Math.Min(last, after + MaxLinksPerFile);
        await using var content = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        var from = await WriteLinesAsync(tenantId, after, to, content, cancellationToken);
        content.Position = 0;
        var now = time.GetUtcNow();
        var file = new AuditArchiveFile
        {
            TenantId = tenantId, FromPosition = from, ToPosition = to, ArchivedAt = now,
            Key = $"audit/{tenantId}/{now:yyyy-MM-dd}-links-{from:D12}-{to:D12}.ndjson",
        };
        await archive.WriteAsync(file.Key, content, cancellationToken);

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        db.AuditArchiveFiles.Add(file);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return file;
    }

    /// <summary>The links after <paramref name="after"/> up to <paramref name="to"/>, one JSON line each; the first position written.</summary>
    private async Task<long> WriteLinesAsync(Guid tenantId, long after, long to, Stream content, CancellationToken cancellationToken)
    {
        var newline = "\n"u8.ToArray();
        long? first = null;
        using var reading = db.ReadAsTenant(tenantId);
        while (after < to)
        {
            var page = await db.AuditSeals.AsNoTracking()
                .Where(s => s.TenantId == tenantId && s.Position > after && s.Position <= to)
                .OrderBy(s => s.Position)
                .Take(Page)
                .Join(db.AuditEvents, s => s.EventId, e => e.Id, (s, e) => new { Seal = s, Event = e })
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var link in page)
            {
                first ??= link.Seal.Position;
                var line = new AuditArchiveLine(link.Seal.Position, Convert.ToHexStringLower(link.Seal.PreviousHash), Convert.ToHexStringLower(link.Seal.Hash), link.Event.ToResponse());
                await JsonSerializer.SerializeAsync(content, line, Contracts.Client.DmsApiClient.Json, cancellationToken);
                await content.WriteAsync(newline, cancellationToken);
            }

            after = page[^1].Seal.Position;
        }

        return first ?? to;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not copy tenant {tenantId}'s audit links to the archive; the next copy takes them")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid tenantId);
}
