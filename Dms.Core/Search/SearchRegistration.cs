using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dms.Search;

public static class SearchRegistration
{
    /// <summary>The search index and the search use case, with <c>Dms:Search</c> checked at start-up.</summary>
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SearchOptions>()
            .BindConfiguration(SearchOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<ISearchIndex, PostgresSearchIndex>();
        builder.Services.AddScoped<SearchService>();
        builder.Services.AddScoped<SearchReindexer>();
        return builder;
    }
}
