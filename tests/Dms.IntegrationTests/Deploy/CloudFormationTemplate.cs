using System.Text.Json.Nodes;
using Dms.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Dms.IntegrationTests.Deploy;

/// <summary>
/// A CloudFormation template read as CloudFormation reads it: YAML whose short-form tags (<c>!Ref</c>,
/// <c>!GetAtt</c>, <c>!Sub</c>...) become their long forms (<c>{"Ref": ...}</c>, <c>{"Fn::GetAtt": [...]}</c>).
/// Every scalar is kept as its text.
/// </summary>
public sealed class CloudFormationTemplate
{
    private CloudFormationTemplate(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public JsonObject Parameters => Root["Parameters"]!.AsObject();

    public JsonObject Resources => Root["Resources"]!.AsObject();

    public JsonObject Conditions => Root["Conditions"]!.AsObject();

    public JsonObject Mappings => Root["Mappings"]!.AsObject();

    public static string PathOf(params string[] parts) => Path.Combine([Fauxqs.RepositoryRoot(), .. parts]);

    public static CloudFormationTemplate Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return new CloudFormationTemplate(Convert(stream.Documents.Single().RootNode)!.AsObject());
    }

    public JsonObject Resource(string name) => Resources[name]?.AsObject() ?? throw new KeyNotFoundException($"The template has no resource {name}.");

    public JsonObject Properties(string resource) => Resource(resource)["Properties"]!.AsObject();

    /// <summary>Every node of the template, depth first, with the path that leads to it.</summary>
    public IEnumerable<(string Path, JsonNode Node)> Walk() => Walk(Root, "");

    private static IEnumerable<(string Path, JsonNode Node)> Walk(JsonNode node, string path)
    {
        yield return (path, node);
        var children = node switch
        {
            JsonObject o => o.Select(p => (Path: $"{path}/{p.Key}", Node: p.Value)),
            JsonArray a => a.Select((n, i) => (Path: $"{path}/{i}", Node: n)),
            _ => [],
        };
        foreach (var (childPath, child) in children)
        {
            if (child is not null)
            {
                foreach (var descendant in Walk(child, childPath))
                {
                    yield return descendant;
                }
            }
        }
    }

    private static JsonNode? Convert(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
            YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
            _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType} at {node.Start}."),
        };
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        return tag switch
        {
            null or "tag:yaml.org,2002:str" => value,
            "!Ref" => new JsonObject { ["Ref"] = value },
            "!Condition" => new JsonObject { ["Condition"] = value },
            "!GetAtt" when value is JsonValue dotted => new JsonObject { ["Fn::GetAtt"] = SplitGetAtt(dotted.GetValue<string>()) },
            _ when tag.StartsWith('!') => new JsonObject { [$"Fn::{tag[1..]}"] = value },
            _ => throw new InvalidOperationException($"Unexpected YAML tag {tag} at {node.Start}."),
        };
    }

    private static JsonArray SplitGetAtt(string dotted)
    {
        var dot = dotted.IndexOf('.');
        return [dotted[..dot], dotted[(dot + 1)..]];
    }
}
