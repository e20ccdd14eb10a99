using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Data;
using Nabla.Cli.Generative;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla evaluate-generator --checkpoint FILE --classifier FILE</c>: scores a VAE or DCGAN with the MNIST CNN
/// (<see cref="GeneratorEvaluation"/>) and prints the report; the last line is "fréchet distance: N".</summary>
internal static class EvaluateGeneratorCommand
{
    /// <summary>Runs with <paramref name="args"/> after "evaluate-generator".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var spec = GenerativeCatalog.EvaluateGenerator;
        var options = ArgumentParser.Parse(spec, args);
        if (options.HelpRequested) { console.Out.Write(spec.Usage()); return ExitCodes.Ok; }
        string checkpoint = options.RequiredString("--checkpoint");
        string classifierPath = options.RequiredString("--classifier");
        if (!File.Exists(checkpoint)) throw options.Bad("--checkpoint", checkpoint, "an existing .safetensors file");
        if (!File.Exists(classifierPath)) throw options.Bad("--classifier", classifierPath, "an existing .safetensors file");
        int samples = options.Int("--samples", GenerativeCatalog.EvaluationSamples, 2);
        int batchSize = options.Int("--batch-size", 500);
        long seed = options.Long("--seed", 0);
        int threads = TrainOptionReader.ReadThreads(options);
        string data = TrainOptionReader.ReadDataDirectory(options, out bool fetch);

        using var limit = new ThreadLimit(threads);
        var generator = GenerativeLoader.Load(checkpoint, spec.Path);
        var classifier = ModelLoader.Load(classifierPath, spec.Path);
        if (classifier.Model is not Cnn cnn)
            throw new InvalidDataException($"classifier {classifierPath} holds a {classifier.Title}; nabla {spec.Path} needs the CNN of nabla train cnn, whose penultimate layer gives the features");
        if (classifier.Image is not { } image || image != generator.Image)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"classifier {classifierPath} takes {Shape(classifier.Image)} images but {checkpoint} makes {Shape(generator.Image)} ones"));

        MnistSource.Ensure(data, fetch, console.Out);
        var test = MnistDataset.Load(data, train: false, normalize: false);
        var train = MnistDataset.Load(data, train: true, normalize: false);
        if (test.Inputs.Shape[0] < 2)
            throw new InvalidDataException($"the test split in {data} has {test.Inputs.Shape[0]} images; a covariance needs at least two");
        var sample = test.Inputs.Shape;
        if ((sample[1], sample[2], sample[3]) != (image.Channels, image.Height, image.Width))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"the images in {data} are {sample[1]}×{sample[2]}×{sample[3]}; the models take {Shape(image)}"));
        var reference = train.Inputs.Narrow(0, 0, Math.Min(test.Count, train.Count));

        console.Out.WriteLine($"nabla {spec.Path}: {generator.Title} from {checkpoint}, scored by {classifier.Title} from {classifierPath}");
        var score = GeneratorEvaluation.Run(generator, cnn, classifier.Mean, classifier.Std, test.Inputs, reference, samples, batchSize, new Generator(seed));
        console.Out.Write(score.Report());
        return ExitCodes.Ok;
    }

    private static string Shape(ImageShape? s) => s is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.Channels}×{v.Height}×{v.Width}") : "unknown";
}
