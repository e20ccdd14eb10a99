using System.Globalization;

namespace Nabla.Cli.Training;

/// <summary>The folder a run writes into, and the names of what it writes.</summary>
internal sealed class RunFolder
{
    /// <summary>Uses <paramref name="path"/>, creating it if needed.</summary>
    public RunFolder(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Training and test metrics.</summary>
    public string Metrics => System.IO.Path.Combine(Path, "metrics.csv");

    /// <summary>The model's state dict with its architecture in the metadata: the trained model, loadable as is in PyTorch.</summary>
    public string Model => System.IO.Path.Combine(Path, "model.safetensors");

    /// <summary>The whole training state (model, optimizer, schedule, position, random state), for <c>--resume</c>.</summary>
    public string Checkpoint => System.IO.Path.Combine(Path, "checkpoint.safetensors");

    /// <summary>The run's configuration.</summary>
    public string Config => System.IO.Path.Combine(Path, "config.json");

    /// <summary>The loss chart.</summary>
    public string LossPlot => System.IO.Path.Combine(Path, "loss.png");

    /// <summary>Training and test loss and accuracy per epoch, two panels.</summary>
    public string Curves => System.IO.Path.Combine(Path, "curves.png");

    /// <summary>A grid of test images the trained model gets wrong, with its prediction and the true label.</summary>
    public string Misclassified => System.IO.Path.Combine(Path, "misclassified.png");

    /// <summary>runs/PREFIX-YYYYMMDD-HHMMSS under the current directory, with "-2", "-3", … added if it is taken.</summary>
    public static string DefaultPath(string prefix)
    {
        string stem = System.IO.Path.Combine("runs", $"{prefix}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        string path = stem;
        for (int n = 2; Directory.Exists(path); n++) path = $"{stem}-{n}";
        return path;
    }
}
