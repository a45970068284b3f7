using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

[assembly: TestCollectionOrderer(typeof(PostgresCollectionFirst))]

namespace Dms.IntegrationTests.Fixtures;

/// <summary>One throwaway PostgreSQL server for every integration test; each class makes its own database on it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<TemporaryPostgres>
{
    public const string Name = "postgres";
}

/// <summary>The shared server's collection, the suite's longest, starts first; the classes with a server of their own run beside it.</summary>
public sealed class PostgresCollectionFirst() : LongestCollectionFirst(PostgresCollection.Name);
