using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace Dms.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document is a contract a client can be generated from: NSwag generates a C# client from the document
/// the running API serves (one method per operationId), Roslyn compiles it, and the compiled client calls the API.
/// What this cannot prove: that generators for other languages read every construct the same way.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GeneratedClientTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task A_client_generated_from_the_openapi_document_compiles_and_calls_the_api()
    {
        var created = (await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(100), fileName: "generated.pdf"))
            .GetProperty("document").GetProperty("id").GetGuid();
        var client = Compile(await GenerateAsync(await _scenario.Anonymous.GetStringAsync("/openapi/v1.json", Cancellation)));

        var api = Activator.CreateInstance(client.GetType("Dms.Generated.DmsClient")!, _scenario.EditorA)!;
        var document = await CallAsync(api, "GetDocumentAsync", created);
        Assert.Equal("generated.pdf", Property(document, "Title"));
        Assert.Equal("pending_upload", Property(document, "Status")?.ToString());

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => CallAsync(api, "GetDocumentAsync", Guid.NewGuid()));
        Assert.Equal((int)HttpStatusCode.NotFound, Property(refused, "StatusCode"));
    }

    private static async Task<string> GenerateAsync(string openApi)
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(openApi);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "DmsClient",
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = "Dms.Generated";
        settings.CSharpGeneratorSettings.JsonLibrary = CSharpJsonLibrary.SystemTextJson;
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    /// <summary>Compiles the generated client against the assemblies this test runs on; fails with the compiler's errors.</summary>
    private static Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            $"Dms.Generated.{Guid.NewGuid():N}", [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var assembly = new MemoryStream();
        var emitted = compilation.Emit(assembly);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        assembly.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(assembly);
    }

    /// <summary>Calls the generated method named after the operation, with its arguments (and no cancellation token), and returns its result.</summary>
    private static async Task<object?> CallAsync(object client, string method, params object[] arguments)
    {
        var call = client.GetType().GetMethods().Single(m => m.Name == method && m.GetParameters().Length == arguments.Length);
        var task = (Task)call.Invoke(client, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    private static object? Property(object? instance, string name) => instance?.GetType().GetProperty(name)?.GetValue(instance);
}
