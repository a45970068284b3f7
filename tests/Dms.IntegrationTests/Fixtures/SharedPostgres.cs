using Dms.TestSupport;

// One throwaway PostgreSQL server for every integration test; each class makes its own database on it, so the
// classes run side by side. A class that stalls its server (DatabaseStallTests) takes one of its own as a class fixture.
[assembly: AssemblyFixture(typeof(TemporaryPostgres))]
