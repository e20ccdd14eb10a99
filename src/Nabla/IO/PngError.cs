namespace Nabla.IO;

/// <summary>Builds the messages of PNG errors: "png: SOURCE: what was wrong", naming the chunk when one is at fault.</summary>
internal static class PngError
{
    public static InvalidDataException File(string source, string problem) => new($"png: {source}: {problem}");

    public static InvalidDataException Chunk(string source, string chunk, string problem) => new($"png: {source}: chunk {chunk}: {problem}");
}
