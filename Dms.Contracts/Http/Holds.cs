namespace Dms.Contracts.Http;

/// <summary>Which documents a hold takes by filter: the documents list's filters (every match).</summary>
public sealed record HoldFilter(
    string? Tag = null, Guid? DocumentTypeId = null, Guid? CorrespondentId = null, DateTimeOffset? CreatedFrom = null, DateTimeOffset? CreatedTo = null,
    string? ContentType = null);

/// <summary>
/// A new legal hold (a name and a reason) or documents added to one: <c>documentIds</c> one by one, or a
/// <c>filter</c> (every document it matches, up to 10,000), not both.
/// </summary>
public sealed record HoldRequest(string? Name = null, string? Reason = null, List<Guid>? DocumentIds = null, HoldFilter? Filter = null);

/// <summary>A legal hold: in force until <c>liftedAt</c>; <c>documents</c> it covers now (their ids when one hold is asked for).</summary>
public sealed record HoldResponse(
    Guid Id, string Name, string Reason, string PlacedBy, DateTimeOffset PlacedAt, DateTimeOffset? LiftedAt, string? LiftedBy, int Documents,
    List<Guid>? DocumentIds = null);
