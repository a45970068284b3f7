namespace Dms.Documents.Lifecycle;

/// <summary>
/// Bytes to delete for good: every object version under <see cref="Prefix"/>, written in the same transaction that
/// removed their document's rows. Only the worker deletes them (<see cref="DeletePurgedBytes"/>): in AWS its role alone
/// may delete object versions, so an api task someone takes over can ask for a purge, never erase history itself.
/// </summary>
public sealed class BytesPurge
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Prefix { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
}
