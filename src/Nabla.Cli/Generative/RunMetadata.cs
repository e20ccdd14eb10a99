using System.Globalization;
using Nabla.Cli.Training;

namespace Nabla.Cli.Generative;

/// <summary>The metadata a generative run's checkpoint carries beside the model's own: the run's config.json text and the
/// seconds trained, so <c>--resume</c> can check that the folder's configuration is the checkpoint's and keep the clock.</summary>
internal static class RunMetadata
{
    private const string ConfigKey = "config", SecondsKey = "train.seconds";

    /// <summary>The model's metadata plus the configuration and the seconds.</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> model, RunConfig config, double seconds) =>
        new(model)
        {
            [ConfigKey] = config.ToJson(),
            [SecondsKey] = seconds.ToString("R", CultureInfo.InvariantCulture),
        };

    /// <summary>Checks the configuration saved in a checkpoint against the folder's and returns the seconds trained.</summary>
    /// <exception cref="InvalidDataException">The checkpoint lacks them, or the configurations differ.</exception>
    public static double Check(IReadOnlyDictionary<string, string> metadata, string checkpointPath, RunConfig config, string configPath)
    {
        if (!metadata.TryGetValue(ConfigKey, out string? text))
            throw new InvalidDataException($"{checkpointPath} lacks the '{ConfigKey}' metadata that nabla train writes; it was not written by a nabla training run");
        var saved = RunConfig.Parse(text, $"the configuration saved in {checkpointPath}");
        if (config.DifferenceFrom(saved) is { } difference)
            throw new InvalidDataException($"{configPath} does not match the configuration saved in {checkpointPath} ({difference}); a run resumes only with its own settings");
        string secondsText = metadata.GetValueOrDefault(SecondsKey, "");
        return double.TryParse(secondsText, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 ? seconds
            : throw new InvalidDataException($"{checkpointPath}: metadata '{SecondsKey}' is '{secondsText}'; expected seconds ≥ 0");
    }
}
