using Dms.Adapters.Elasticsearch;
using Dms.Adapters.Postgres;
using Dms.Common;
using Dms.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dms.Adapters;

public static class SearchRegistration
{
    /// <summary>The search index chosen by <c>Dms:Search:Provider</c> and the search use cases, with <c>Dms:Search</c> checked at start-up.</summary>
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<SearchOptions>(SearchOptions.Section);
        if (builder.Configuration.GetSection(SearchOptions.Section).GetValue<SearchProvider?>(nameof(SearchOptions.Provider)) is SearchProvider.Elasticsearch)
        {
            builder.Services.AddSingleton(services => ElasticsearchSearchIndex.CreateClient(services.GetRequiredService<IOptions<SearchOptions>>().Value.Elasticsearch));
            builder.Services.AddScoped<ISearchIndex, ElasticsearchSearchIndex>();
        }
        else
        {
            builder.Services.AddScoped<ISearchIndex, PostgresSearchIndex>();
        }

        builder.Services.AddScoped<SearchService>();
        builder.Services.AddScoped<SearchReindexer>();
        return builder;
    }
}
