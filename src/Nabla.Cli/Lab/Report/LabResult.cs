using System.Text.Json;

namespace Nabla.Cli.Lab;

/// <summary>results.json: what the index and the tests read back from an experiment's folder.</summary>
/// <param name="Name">The experiment.</param>
/// <param name="Title">Its report's title.</param>
/// <param name="Claim">The claim it tests.</param>
/// <param name="Verdict">"supported", "not supported" or "inconclusive".</param>
/// <param name="Reason">The measurements the verdict rests on.</param>
/// <param name="Scale">"smoke", "quick" or "full".</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Seconds">How long the run took.</param>
/// <param name="Numbers">The key figures by name.</param>
/// <param name="Images">The PNGs the report shows.</param>
/// <param name="Reused">Checkpoints reused from earlier runs.</param>
internal sealed record LabResult(string Name, string Title, string Claim, string Verdict, string Reason, string Scale, long Seed, double Seconds,
    SortedDictionary<string, double> Numbers, string[] Images, string[] Reused)
{
    /// <summary>Indented, camelCase.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Reads results.json at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a lab result.</exception>
    public static LabResult Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<LabResult>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"lab: {path} is empty; expected the results.json of nabla lab run");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"lab: {path} is not a lab results.json ({e.Message})", e);
        }
    }
}
