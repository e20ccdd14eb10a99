namespace Nabla.IO;

/// <summary>Builds the messages of safetensors errors: "safetensors: what was wrong (source)".</summary>
internal static class SafeTensorsError
{
    public static InvalidDataException File(string source, string problem) =>
        new($"safetensors: {problem} ({source})");

    public static InvalidDataException Entry(string source, string entry, string problem) =>
        new($"safetensors: entry '{entry}': {problem} ({source})");

    public static ArgumentException Argument(string paramName, string problem) =>
        new($"safetensors: {problem}", paramName);
}
