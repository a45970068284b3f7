using Dms.Fields;
using Dms.Persistence;
using Dms.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.UnitTests.Search;

/// <summary>How a query becomes the request an index answers: the word being typed, paging and the checks.</summary>
public sealed class SearchServiceTests
{
    private readonly RecordingIndex _index = new();
    private readonly SearchService _search;

    /// <summary>A query without filters or NAME:VALUE words never reaches the database: this context has none.</summary>
    public SearchServiceTests()
    {
        var db = new DmsDbContext(new DbContextOptionsBuilder<DmsDbContext>().UseNpgsql("Host=unused.invalid").Options);
        _search = new SearchService(_index, new SearchFilters(db, new FieldFilterReader(db)), Options.Create(new SearchOptions()));
    }

    [Theory]
    [InlineData("budg", "budg", "")]
    [InlineData("annual budg", "budg", "annual ")]
    [InlineData("annual budget ", null, "annual budget ")]
    [InlineData("\"annual budget\"", null, "\"annual budget\"")]
    [InlineData("-draft", null, "-draft")]
    public async Task A_query_ending_in_a_plain_word_matches_it_as_a_prefix(string q, string? typing, string before)
    {
        await _search.SearchAsync(Guid.NewGuid(), new SearchQuery(q), TestContext.Current.CancellationToken);

        Assert.Equal((typing, before, q.Trim()), (_index.Last!.Typing, _index.Last.Before, _index.Last.Text));
    }

    [Fact]
    public async Task The_cursor_is_the_offset_of_the_next_page_and_the_last_page_has_none()
    {
        _index.Total = 25;
        var first = await _search.SearchAsync(Guid.NewGuid(), new SearchQuery("x", Limit: 20), TestContext.Current.CancellationToken);
        var second = await _search.SearchAsync(Guid.NewGuid(), new SearchQuery("x", Limit: 20, Cursor: first.Value!.NextCursor), TestContext.Current.CancellationToken);

        Assert.Equal("20", first.Value.NextCursor);
        Assert.Equal(20, _index.Last!.Offset);
        Assert.Null(second.Value!.NextCursor);
    }

    [Theory]
    [InlineData("", null, null, "invalid-q")]
    [InlineData("a\0b", null, null, "invalid-q")]
    [InlineData("x", "failed", null, "invalid-status")]
    [InlineData("x", null, "-1", "invalid-cursor")]
    [InlineData("x", "Ready", "0", null)]
    public async Task Queries_the_index_cannot_answer_are_refused_before_it_is_asked(string q, string? status, string? cursor, string? code)
    {
        var outcome = await _search.SearchAsync(Guid.NewGuid(), new SearchQuery(q, Status: status, Cursor: cursor), TestContext.Current.CancellationToken);

        Assert.Equal(code, outcome.Error?.Code);
        Assert.Equal(code is null, _index.Last is not null);
    }

    /// <summary>Answers <see cref="Total"/> hits in pages, and keeps the last request it was asked.</summary>
    private sealed class RecordingIndex : ISearchIndex
    {
        public SearchRequest? Last { get; private set; }

        public long Total { get; set; }

        public Task<SearchResult> SearchAsync(Guid tenantId, SearchRequest request, CancellationToken cancellationToken)
        {
            Last = request;
            var hits = Enumerable.Range(request.Offset, (int)Math.Clamp(Total - request.Offset, 0, request.Limit))
                .Select(i => new SearchHit(Guid.NewGuid(), $"t{i}", $"f{i}", 1, [], DateTimeOffset.UnixEpoch)).ToList();
            return Task.FromResult(new SearchResult(Total, hits, new Dictionary<string, long>(), new Dictionary<string, long>(), null));
        }

        public Task IndexAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> ReindexAsync(IReadOnlyList<Guid> documentIds, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> CheckAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
