using Dms.TestSupport;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>One throwaway PostgreSQL server for every integration test; each class makes its own database on it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<TemporaryPostgres>
{
    public const string Name = "postgres";
}
