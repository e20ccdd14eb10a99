using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Data;
using Nabla.Cli.Models;
using Nabla.Cli.Training;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla eval --checkpoint FILE</c>: rebuilds the classifier a checkpoint holds (<see cref="ModelLoader"/>) and
/// measures it on the test split.</summary>
internal static class EvalCommand
{
    /// <summary>Parses, loads, evaluates; the last line is "test accuracy: NN.NN%".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(CommandCatalog.Eval, args);
        if (options.HelpRequested) { console.Out.Write(CommandCatalog.Eval.Usage()); return ExitCodes.Ok; }
        string checkpoint = options.RequiredString("--checkpoint");
        if (!File.Exists(checkpoint)) throw options.Bad("--checkpoint", checkpoint, "an existing .safetensors file");
        int batchSize = options.Int("--batch-size", 250);
        int threads = TrainOptionReader.ReadThreads(options);
        string data = TrainOptionReader.ReadDataDirectory(options, out bool fetch);

        using var limit = new ThreadLimit(threads);
        var classifier = ModelLoader.Load(checkpoint, "eval");

        MnistSource.Ensure(data, fetch, console.Out);
        var test = MnistDataset.Load(data, train: false);
        var sample = test.Inputs.Shape;   // [N, 1, rows, cols]
        if (classifier.Image is { } image ? (image.Channels, image.Height, image.Width) != (sample[1], sample[2], sample[3])
                                          : classifier.InputFeatures != sample[1] * sample[2] * sample[3])
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"checkpoint {checkpoint} holds a {classifier.Title} that takes {Input(classifier)}, but the images in {data} are {sample[1]}×{sample[2]}×{sample[3]}"));
        DataClasses.CheckLabels(test, classifier.Classes, data, checkpoint);

        var result = Evaluation.Run(classifier.Model, test, batchSize);
        console.Out.WriteLine($"nabla eval: {classifier.Title} from {checkpoint}");
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {result.Correct:N0} of {result.Count:N0} test images from {data} correct; test loss {result.Loss:F4}"));
        console.Out.WriteLine(Evaluation.AccuracyLine(result.Accuracy));
        return ExitCodes.Ok;
    }

    private static string Input(LoadedClassifier c) => c.Image is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"{s.Channels}×{s.Height}×{s.Width} images")
        : string.Create(CultureInfo.InvariantCulture, $"{c.InputFeatures} inputs");
}
