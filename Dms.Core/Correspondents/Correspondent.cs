using Dms.Catalogs;

namespace Dms.Correspondents;

/// <summary>Who a document is from or to (a supplier, a customer, an office): a tenant's own list; a document has at most one.</summary>
public sealed class Correspondent : ICatalogEntry
{
    public const int MaxPerTenant = 10_000;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Name { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public static Correspondent Create(Guid tenantId, string name, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = name, CreatedAt = now };

    public void Rename(string name) => Name = name;
}
