namespace Dms.Catalogs;

/// <summary>
/// A named thing a tenant defines to describe its documents (a document type, a correspondent, a custom field): its
/// name is unique in the tenant, ignoring case, which the database's index on (tenant, lower(name)) decides.
/// </summary>
public interface ICatalogEntry
{
    Guid Id { get; }
    Guid TenantId { get; }
    string Name { get; }
}
