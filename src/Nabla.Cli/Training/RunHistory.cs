using System.Globalization;
using Nabla.IO;

namespace Nabla.Cli.Training;

/// <summary>What a run did before this session: nothing for a new run; for a resumed one, the checkpoint's position,
/// the loss and the correctly classified samples of every step so far (for the epoch's mean loss and training accuracy,
/// and loss.png), the epochs metrics.csv records and the seconds already trained.</summary>
internal sealed class RunHistory
{
    // Checkpoint metadata beside the model's own ("arch", "layers"): the run's config.json text and the loop's history.
    private const string ConfigKey = "config", LossesKey = "train.step_losses", CorrectKey = "train.step_correct", SecondsKey = "train.seconds";

    private RunHistory(TrainingPosition position, List<double> stepLosses, List<int> stepCorrect, List<EpochResult> epochs, double seconds) =>
        (Position, StepLosses, StepCorrect, Epochs, Seconds) = (position, stepLosses, stepCorrect, epochs, seconds);

    /// <summary>Where training continues.</summary>
    public TrainingPosition Position { get; }

    /// <summary>The training loss of every step taken, step 1 first.</summary>
    public List<double> StepLosses { get; }

    /// <summary>The training samples classified correctly in every step taken (before its update), step 1 first.</summary>
    public List<int> StepCorrect { get; }

    /// <summary>The epochs finished, as metrics.csv records them.</summary>
    public List<EpochResult> Epochs { get; }

    /// <summary>Seconds of training before this session.</summary>
    public double Seconds { get; }

    /// <summary>A run that starts now.</summary>
    public static RunHistory Fresh() => new(new TrainingPosition(0, 0, 0), [], [], [], 0);

    /// <summary>The metadata a checkpoint carries: the model's, the run's configuration and the loop's history.</summary>
    public static Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string> model, RunConfig config, IReadOnlyList<double> stepLosses,
        IReadOnlyList<int> stepCorrect, double seconds) =>
        new(model)
        {
            [ConfigKey] = config.ToJson(),
            [LossesKey] = string.Join(',', stepLosses.Select(l => l.ToString("R", CultureInfo.InvariantCulture))),
            [CorrectKey] = string.Join(',', stepCorrect.Select(c => c.ToString(CultureInfo.InvariantCulture))),
            [SecondsKey] = seconds.ToString("R", CultureInfo.InvariantCulture),
        };

    /// <summary>The history saved in <paramref name="checkpoint"/>, checked against the run's configuration; its
    /// <see cref="Epochs"/> are left empty for the caller to fill from metrics.csv once the checkpoint is restored.</summary>
    /// <exception cref="InvalidDataException">The checkpoint lacks the history, or its configuration is not <paramref name="config"/>'s.</exception>
    public static RunHistory Read(TrainingCheckpoint checkpoint, RunConfig config, string configPath)
    {
        string path = checkpoint.Path;
        var saved = RunConfig.Parse(Required(checkpoint, ConfigKey), $"the configuration saved in {path}");
        if (config.DifferenceFrom(saved) is { } difference)
            throw new InvalidDataException($"{configPath} does not match the configuration saved in {path} ({difference}); a run resumes only with its own settings");

        string text = Required(checkpoint, LossesKey);
        var losses = new List<double>();
        foreach (string item in text.Length == 0 ? [] : text.Split(','))
            losses.Add(double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double loss) ? loss
                : throw new InvalidDataException($"{path}: metadata '{LossesKey}' holds '{item}' where a loss belongs"));
        if (losses.Count != checkpoint.Position.Step)
            throw new InvalidDataException($"{path}: metadata '{LossesKey}' holds {losses.Count} losses but the checkpoint is at step {checkpoint.Position.Step}");
        string correctText = Required(checkpoint, CorrectKey);
        var correct = new List<int>();
        foreach (string item in correctText.Length == 0 ? [] : correctText.Split(','))
            correct.Add(int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int count) ? count
                : throw new InvalidDataException($"{path}: metadata '{CorrectKey}' holds '{item}' where a count of samples belongs"));
        if (correct.Count != checkpoint.Position.Step)
            throw new InvalidDataException($"{path}: metadata '{CorrectKey}' holds {correct.Count} counts but the checkpoint is at step {checkpoint.Position.Step}");
        string secondsText = Required(checkpoint, SecondsKey);
        if (!double.TryParse(secondsText, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds >= 0))
            throw new InvalidDataException($"{path}: metadata '{SecondsKey}' is '{secondsText}'; expected seconds ≥ 0");

        return new RunHistory(checkpoint.Position, losses, correct, [], seconds);
    }

    private static string Required(TrainingCheckpoint checkpoint, string key) =>
        checkpoint.Metadata.TryGetValue(key, out string? value) ? value
            : throw new InvalidDataException($"{checkpoint.Path} lacks the '{key}' metadata that nabla train writes; it was not written by a nabla training run");
}
