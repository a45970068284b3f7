using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dms.Identity.Accounts;

/// <summary>For <c>dotnet ef migrations add</c>: the model without a server.</summary>
public sealed class DesignTimeDatabase : IDesignTimeDbContextFactory<IdentityDatabase>
{
    public IdentityDatabase CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<IdentityDatabase>();
        IdentityDatabase.Configure(options, "Host=localhost;Database=design");
        // Identity reads its schema version from the options the application would have.
        options.UseApplicationServiceProvider(new ServiceCollection()
            .Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(identity => identity.Stores.SchemaVersion = IdentityDatabase.IdentitySchema)
            .BuildServiceProvider());
        return new IdentityDatabase(options.Options);
    }
}
