using Aspire.Hosting.ApplicationModel;

namespace Dms.AppHost.Postgres;

/// <summary>
/// PostgreSQL from the machine's own binaries, started by <c>run-postgres.sh</c> as an executable resource, so the
/// app model needs no container runtime. It hands on the connection string of the <c>dms</c> database.
/// </summary>
public sealed class LocalPostgresResource(string name, string script, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, script, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference Endpoint => new(this, EndpointName);

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Password};Database=dms");
}
