using System.Net.Mime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dms.Api.ApiReference;

/// <summary>
/// The OpenAPI document as a contract a client can be generated from: the bearer scheme on every operation that needs
/// a token, each operation's name (its endpoint's <c>WithName</c>), the ProblemDetails answers every operation can
/// give, and what each tag holds. Written to <c>openapi/Dms.Api.json</c> at build (<see cref="BuildTimeDocument"/>), reviewed in
/// the repository, and linted in the test run with Redocly's recommended rules.
/// </summary>
internal static class ContractDocument
{
    public const string BearerScheme = "bearer";

    private const string ProblemSchema = "ProblemDetails";

    private static readonly Dictionary<string, string> Tags = new()
    {
        ["Documents"] = "A tenant's documents: create and upload, list, edit, versions, trash and restore, text, page images, processing record.",
        ["Describing"] = "What describes a tenant's documents: document types with their fields, correspondents, custom fields (admins change types and fields, editors add correspondents).",
        ["Search"] = "Full-text search over a tenant's ready documents.",
        ["Tenant"] = "The caller's own tenant, and its users for the tenant's admins.",
        ["Uploads"] = "The file store's signed upload URLs (no token: the signature is the permission).",
        ["Info"] = "Where clients sign in, and what is running.",
        ["Tenants (operator)"] = "Operators: every tenant, its plan, quota, retention, usage and users.",
        ["Documents (operator)"] = "Operators: a document of any tenant, repaired by id.",
        ["Dead letters (operator)"] = "Operators: jobs the worker gave up on, redriven or purged.",
        ["Search (operator)"] = "Operators: rebuilding the search index.",
        ["Status (operator)"] = "Operators: the runbook's key metrics.",
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Dms API";
            document.Info.Description = "A multi-tenant document management system: documents, uploads straight to storage, search, and the operators' tasks. " +
                "Every refusal is a ProblemDetails (application/problem+json) whose type names the problem.";
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
            }

            if (document.Servers is not { Count: > 0 })
            {
                // Written at build, with no request to take the address from: the one ./dms.sh run serves it at.
                document.Servers = [new OpenApiServer { Url = "http://localhost:5380", Description = "./dms.sh run (on AWS: the stack's address)" }];
            }

            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An ID token of the identity provider that /api/v1/info names (Dms's own, or Cognito): its tenant and role claims decide what the caller may do.",
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[ProblemSchema] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "RFC 9457 problem details: type names the problem (its last segment, e.g. quota-exceeded), detail says it in a person's words.",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                    ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            };
            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            {
                tag.Description ??= tag.Name is { } name ? Tags.GetValueOrDefault(name) : null;
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            DeclarePathParameters(operation, context.Description.RelativePath);
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
            if (anonymous)
            {
                // Said outright: an empty requirement is "no token needed", where none at all would leave it unsaid.
                operation.Security = [new OpenApiSecurityRequirement()];
            }
            else
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                Problem(operation, context.Document, StatusCodes.Status401Unauthorized, "No token, or one the identity provider did not issue or that expired.");
                Problem(operation, context.Document, StatusCodes.Status403Forbidden, "The caller's role may not do this (or, on AWS, an admin without a second factor).");
            }

            if (context.Description.RelativePath?.Contains('{') == true)
            {
                Problem(operation, context.Document, StatusCodes.Status404NotFound, "What the path names does not exist, or is another tenant's.");
            }

            Problem(operation, context.Document, StatusCodes.Status400BadRequest, "A parameter or body the API refuses: the problem's type names it (invalid-...).");
            Problem(operation, context.Document, StatusCodes.Status429TooManyRequests, "Too many requests from this user, tenant or address: retry after the Retry-After header's seconds.");
            Problem(operation, context.Document, StatusCodes.Status503ServiceUnavailable, "The database or another dependency is away, or the request ran past its deadline: retry.");
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// A route parameter the handler reads from the route itself (the users' routes, mapped once for operators and once
    /// for a tenant's admins) is declared all the same: a client has to fill it in.
    /// </summary>
    private static void DeclarePathParameters(OpenApiOperation operation, string? path)
    {
        foreach (System.Text.RegularExpressions.Match parameter in System.Text.RegularExpressions.Regex.Matches(path ?? "", @"\{([^}:]+)(:[^}]+)?\}"))
        {
            var name = parameter.Groups[1].Value.TrimStart('*');
            operation.Parameters ??= [];
            if (operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Path))
            {
                continue;
            }

            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = parameter.Groups[2].Value == ":guid" ? "uuid" : null },
            });
        }
    }

    /// <summary>Adds a ProblemDetails answer unless the operation already declares one for the status.</summary>
    private static void Problem(OpenApiOperation operation, OpenApiDocument? document, int status, string description)
    {
        operation.Responses ??= [];
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [MediaTypeNames.Application.ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }
}
