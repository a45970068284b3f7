using Dms.Common;

namespace Dms.Tenants;

public static class TenantErrors
{
    public static readonly Error NotFound = Error.NotFound("The tenant");

    public static Error NameTaken(string name) => new(ErrorKind.Conflict, "tenant-name-taken", $"A tenant named '{name}' already exists.");
}
