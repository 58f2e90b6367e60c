using System.Text.Json;
using System.Text.Json.Serialization;
using MultiTask.Landmarks.Data;

namespace MultiTask.Landmarks.Serialization;

/// <summary>Writes a schema as <c>{"name", "points": [...], "mirrorPairs": [[l, r], ...]}</c>, since tuples have no
/// JSON form of their own.</summary>
internal sealed class LandmarkSchemaJsonConverter : JsonConverter<LandmarkSchema>
{
    public override LandmarkSchema Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        SchemaDto dto = JsonSerializer.Deserialize<SchemaDto>(ref reader, options)
            ?? throw new JsonException("The landmark schema is null.");
        if (dto.MirrorPairs.Any(pair => pair.Length != 2))
        {
            throw new JsonException($"A mirror pair of schema '{dto.Name}' does not have two points.");
        }

        try
        {
            return new LandmarkSchema(dto.Name, dto.Points, dto.MirrorPairs.Select(p => (p[0], p[1])).ToArray());
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, LandmarkSchema value, JsonSerializerOptions options)
    {
        var dto = new SchemaDto
        {
            Name = value.Name,
            Points = value.PointNames.ToArray(),
            MirrorPairs = value.MirrorPairs.Select(p => new[] { p.Left, p.Right }).ToArray(),
        };
        JsonSerializer.Serialize(writer, dto, options);
    }

    private sealed class SchemaDto
    {
        public required string Name { get; init; }

        public required string[] Points { get; init; }

        public required int[][] MirrorPairs { get; init; }
    }
}
