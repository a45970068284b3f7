using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace Dms.Migrations;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without a database: adding a migration
/// compares the model with the last snapshot and never connects.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<DmsDbContext>
{
    public DmsDbContext CreateDbContext(string[] args)
    {
        var dataSource = NpgsqlDataSource.Create("Host=localhost;Database=dms");
        return new DmsDbContext((DbContextOptions<DmsDbContext>)DmsDbContext.Configure(new DbContextOptionsBuilder<DmsDbContext>(), dataSource).Options);
    }
}
