using System.Net;
using System.Text.Json;
using Dms.Contracts;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// A tenant sends what PostgreSQL, the binder or a parser might choke on, in every query and route parameter of every
/// route: each answer is a 4xx ProblemDetails or a success, never a 5xx (which would also trip the operators'
/// error-rate alert).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileQueryTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;
    private Guid _document;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Values that have broken APIs: a NUL (PostgreSQL refuses it in text), long, wildcard, quoting and out-of-range numbers.</summary>
    private static readonly string[] HostileValues =
    [
        "\0", "a\0b", new string('x', 10_000), "%", "%_\\", "'\"; --", "\u202e\u0001", "99999999999999999999", "-2147483649", "2147483647", "-1", "0",
        "NaN", "9999-12-31T23:59:59.9999999+14:00", "0001-01-01T00:00:00-14:00", "2026-01-01T00:00:00+02:00",
    ];

    public async ValueTask InitializeAsync()
    {
        _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string>
        {
            // The walk sends about a thousand requests: the limits are not what it tests.
            ["Dms:RateLimits:Default:TenantRequestsPerSecond"] = "100000",
            ["Dms:RateLimits:Default:UserRequestsPerSecond"] = "100000",
        }));

        // A scanned, processed PDF whose thumbnail and first page are stored: every route reaches as deep as it can.
        using var editor = _scenario.EditorA;
        var bytes = ApiScenario.RandomBytes(100);
        var created = await ApiScenario.CreateDocumentAsync(editor, bytes);
        await _scenario.UploadAndCompleteAsync(editor, created, bytes);
        _document = created.GetProperty("document").GetProperty("id").GetGuid();
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"""
            SELECT set_config('app.cross_tenant', 'on', false);
            UPDATE document_versions SET scan_verdict = 'clean' WHERE document_id = '{_document}';
            UPDATE documents SET status = 'ready' WHERE id = '{_document}';
            INSERT INTO document_texts (tenant_id, document_id, version, text, pages, ocr_pages, extracted_at)
            VALUES ('{_scenario.TenantA}', '{_document}', 1, 'words', 3, 0, now());
            """);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Every_query_and_route_parameter_of_every_route_with_hostile_values_answers_without_a_5xx()
    {
        var parameters = QueryAndRouteParameters();
        // The walk covers every route (the authorization walk checks the inventory) and knows the parameters of some.
        Assert.Contains("GET /api/v1/documents", parameters.Keys);
        Assert.Contains("tag", parameters["GET /api/v1/documents"]);
        Assert.Contains("page", parameters["GET /api/v1/documents/{id:guid}/pages/{page:int}"]);

        var failures = new List<string>();
        var sent = 0;
        foreach (var route in ApiRoutes.All)
        {
            var template = route.Template.Split('?')[0];
            foreach (var parameter in parameters.GetValueOrDefault($"{route.Method} {template}", []))
            {
                // A NUL in the path is refused by the server (Kestrel) before the API sees it; the test server throws.
                foreach (var value in HostileValues.Where(v => !template.Contains($"{{{parameter}") || !v.Contains('\0')))
                {
                    using var request = route.Request(_document, _scenario.TenantA, TokenFor(route));
                    request.RequestUri = new Uri(WithHostile(route.Path(_document, _scenario.TenantA), template, parameter, value), UriKind.Relative);
                    using var response = await _scenario.Api.CreateClient().SendAsync(request, Cancellation);
                    sent++;
                    if ((int)response.StatusCode >= 500 || ((int)response.StatusCode >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
                    {
                        failures.Add($"{route.Method} {request.RequestUri} ({parameter}={Shown(value)}): {(int)response.StatusCode}");
                    }
                }
            }
        }

        Assert.True(sent > 300, $"only {sent} requests were sent");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(int.MaxValue)]
    [InlineData(1001)]
    public async Task A_page_past_the_last_page_that_gets_an_image_is_404(int page)
    {
        using var response = await _scenario.EditorA.GetAsync($"/api/v1/documents/{_document}/pages/{page}", Cancellation);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains($"page {page}", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("tag", "%00")]
    [InlineData("tag", "a%00b")]
    [InlineData("contentType", "%00")]
    [InlineData("status", "ready%00")]
    public async Task A_nul_in_a_document_filter_is_a_400_naming_the_parameter(string parameter, string value)
    {
        using var response = await _scenario.EditorA.GetAsync($"/api/v1/documents?{parameter}={value}", Cancellation);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("urn:dms:problem:invalid-parameter", problem.GetProperty("type").GetString());
        Assert.Contains(parameter, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_nul_in_a_search_filter_is_a_400_naming_the_parameter()
    {
        using var response = await _scenario.EditorA.GetAsync("/api/v1/search?q=words&tag=%00", Cancellation);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("tag", problem.GetProperty("detail").GetString());
    }

    private string TokenFor(ApiRoute route) =>
        route.Access == Access.Operator ? TestTokens.For(null, Roles.Operator) : TestTokens.For(_scenario.TenantA, Roles.Admin);

    /// <summary>Each route's query and route parameters, as the API describes them (its OpenAPI document is made from the same).</summary>
    private Dictionary<string, List<string>> QueryAndRouteParameters() =>
        _scenario.Api.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
            .SelectMany(group => group.Items)
            .Where(d => d.RelativePath is not null && d.HttpMethod is not null)
            .GroupBy(d => $"{d.HttpMethod} /{d.RelativePath!.TrimEnd('/')}")
            .ToDictionary(
                g => g.Key,
                g => g.SelectMany(d => d.ParameterDescriptions)
                    .Where(p => p.Source == BindingSource.Query || (p.Source == BindingSource.Path && p.Name != "id"))
                    .Select(p => p.Name).Distinct().ToList());

    /// <summary>The route's path with <paramref name="parameter"/> set to <paramref name="value"/>, in its place in the path or the query.</summary>
    private static string WithHostile(string path, string template, string parameter, string value)
    {
        var escaped = Uri.EscapeDataString(value);
        var segment = template.Split('/').FirstOrDefault(s => s.StartsWith($"{{{parameter}", StringComparison.Ordinal));
        if (segment is not null)
        {
            // Only the segment's place is known from the template: rebuild the path from it.
            var parts = path.Split('?')[0].Split('/');
            parts[Array.IndexOf(template.Split('/'), segment)] = escaped;
            return string.Join('/', parts);
        }

        var query = path.Contains('?') ? path[(path.IndexOf('?') + 1)..].Split('&').Where(p => !p.StartsWith($"{parameter}=", StringComparison.Ordinal)) : [];
        return $"{path.Split('?')[0]}?{string.Join('&', query.Append($"{parameter}={escaped}"))}";
    }

    private static string Shown(string value) => value.Length > 40 ? $"{value.Length} characters" : JsonSerializer.Serialize(value);
}
