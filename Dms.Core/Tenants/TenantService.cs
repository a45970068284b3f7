using Dms.Common;
using Dms.Documents;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dms.Tenants;

/// <summary>The operator's tenant use cases (across tenants), and a tenant's view of itself.</summary>
public sealed class TenantService(DmsDbContext db, TimeProvider time)
{
    public const int MaxRetentionDays = 3650;

    public sealed record TenantChanges(string? Name, string? Plan, long? StorageQuotaBytes, int? RetentionDays);

    public async Task<Outcome<Tenant>> CreateAsync(TenantChanges request, CancellationToken cancellationToken)
    {
        if (request.Name is null || request.Plan is null || request.StorageQuotaBytes is null || request.RetentionDays is null)
        {
            return Error.Invalid("tenant", "name, plan, storageQuotaBytes and retentionDays are all required.");
        }

        var tenant = new Tenant
        {
            Id = Guid.NewGuid(),
            Name = request.Name.Trim(),
            Plan = request.Plan.Trim(),
            StorageQuotaBytes = request.StorageQuotaBytes.Value,
            RetentionDays = request.RetentionDays.Value,
            CreatedAt = time.GetUtcNow(),
        };
        if (Validate(tenant) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        db.Tenants.Add(tenant);
        if (await SaveAsync(tenant.Name, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await transaction.CommitAsync(cancellationToken);
        return tenant;
    }

    public async Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        return await db.Tenants.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }

    public async Task<Outcome<Tenant>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        return await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken) is { } tenant
            ? tenant
            : Error.NotFound("The tenant");
    }

    public async Task<Outcome<Tenant>> UpdateAsync(Guid id, TenantChanges changes, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tenant is null)
        {
            return Error.NotFound("The tenant");
        }

        tenant.Name = changes.Name?.Trim() ?? tenant.Name;
        tenant.Plan = changes.Plan?.Trim() ?? tenant.Plan;
        tenant.StorageQuotaBytes = changes.StorageQuotaBytes ?? tenant.StorageQuotaBytes;
        tenant.RetentionDays = changes.RetentionDays ?? tenant.RetentionDays;
        if (Validate(tenant) is { } invalid)
        {
            return invalid;
        }

        if (await SaveAsync(tenant.Name, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await transaction.CommitAsync(cancellationToken);
        return tenant;
    }

    /// <summary>Usage of every tenant (the operator's view), or of one.</summary>
    public async Task<IReadOnlyList<TenantUsage>> UsageAsync(Guid? tenantId, CancellationToken cancellationToken)
    {
        await using var transaction = tenantId is { } id
            ? await db.BeginTenantTransactionAsync(id, cancellationToken)
            : await db.BeginCrossTenantTransactionAsync(cancellationToken);
        var tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var byStatus = await db.Documents
            .GroupBy(d => new { d.TenantId, d.Status })
            .Select(g => new { g.Key.TenantId, g.Key.Status, Documents = g.Count(), Bytes = g.Sum(d => d.SizeBytes) })
            .ToListAsync(cancellationToken);
        return tenants.Select(tenant =>
        {
            var rows = byStatus.Where(row => row.TenantId == tenant.Id).ToList();
            return new TenantUsage(
                tenant.Id,
                tenant.Name,
                tenant.StorageQuotaBytes,
                tenant.UsedBytes,
                rows.Where(row => row.Status != DocumentStatus.Deleted).Sum(row => row.Documents),
                rows.ToDictionary(row => SnakeCaseNames<DocumentStatus>.ToName(row.Status), row => new StatusUsage(row.Documents, row.Bytes)));
        }).ToList();
    }

    private static Error? Validate(Tenant tenant) => tenant switch
    {
        { Name.Length: 0 or > 200 } => Error.Invalid("name", "name must be 1 to 200 characters."),
        _ when tenant.Name.Any(char.IsControl) => Error.Invalid("name", "name must not contain control characters."),
        { Plan.Length: 0 or > 50 } => Error.Invalid("plan", "plan must be 1 to 50 characters."),
        { StorageQuotaBytes: < 0 } => Error.Invalid("storage-quota", "storageQuotaBytes must not be negative."),
        { RetentionDays: < 0 or > MaxRetentionDays } => Error.Invalid("retention", $"retentionDays must be 0 to {MaxRetentionDays}."),
        _ => null,
    };

    private async Task<Error?> SaveAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new Error(ErrorKind.Conflict, "tenant-name-taken", $"A tenant named '{name}' already exists.");
        }
    }
}
