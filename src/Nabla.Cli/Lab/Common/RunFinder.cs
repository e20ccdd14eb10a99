using System.Text.Json;

namespace Nabla.Cli.Lab.Common;

/// <summary>Finds the run folders of earlier <c>nabla train</c> commands, for quick lab runs that reuse a trained model
/// instead of training one.</summary>
internal static class RunFinder
{
    /// <summary>The model.safetensors of the newest finished run under <paramref name="runsDirectory"/> (one level deep)
    /// whose config.json says it was made by <paramref name="command"/> ("train cnn", "train vae", "train gan") and,
    /// if given, satisfies <paramref name="accept"/> (which reads the config's "model" object); null when there is none.</summary>
    public static string? Find(string runsDirectory, string command, Func<JsonElement, bool>? accept = null)
    {
        if (!Directory.Exists(runsDirectory)) return null;
        return Directory.GetDirectories(runsDirectory)
            .Where(d => File.Exists(Path.Combine(d, "model.safetensors")) && Matches(Path.Combine(d, "config.json"), command, accept))
            .OrderByDescending(d => File.GetLastWriteTimeUtc(Path.Combine(d, "model.safetensors")))
            .Select(d => Path.Combine(d, "model.safetensors"))
            .FirstOrDefault();
    }

    private static bool Matches(string config, string command, Func<JsonElement, bool>? accept)
    {
        if (!File.Exists(config)) return false;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(config));
            var root = json.RootElement;
            if (!root.TryGetProperty("command", out var c) || c.GetString() != command) return false;
            return accept is null || (root.TryGetProperty("model", out var model) && accept(model));
        }
        catch (JsonException)
        {
            return false;   // not a run folder of ours: skip it
        }
    }
}
