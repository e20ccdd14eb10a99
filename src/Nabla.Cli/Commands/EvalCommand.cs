using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Data;
using Nabla.Cli.Models;
using Nabla.Cli.Training;
using Nabla.Data;
using Nabla.IO;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla eval --checkpoint FILE</c>: rebuilds the classifier a checkpoint holds and measures it on the test split.</summary>
internal static class EvalCommand
{
    /// <summary>Parses, loads, evaluates; the last line is "test accuracy: NN.NN%".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(CommandCatalog.Eval, args);
        if (options.HelpRequested) { console.Out.Write(CommandCatalog.Eval.Usage()); return ExitCodes.Ok; }
        string checkpoint = options.RequiredString("--checkpoint");
        if (!File.Exists(checkpoint)) throw options.Bad("--checkpoint", checkpoint, "an existing .safetensors file");
        int batchSize = options.Int("--batch-size", 1000);
        int threads = TrainOptionReader.ReadThreads(options);
        string data = TrainOptionReader.ReadDataDirectory(options, out bool fetch);

        using var limit = new ThreadLimit(threads);
        var state = Checkpoint.LoadModel(checkpoint, out var metadata);   // a training checkpoint's optimizer state is left out
        int[] layers = Layers(checkpoint, state, metadata);
        var model = MlpFactory.Build(layers);
        model.LoadStateDict(MlpFactory.AlignKeys(state, model), strict: true);

        MnistSource.Ensure(data, fetch, console.Out);
        var test = MnistDataset.Load(data, train: false);
        int features = test.Inputs.NumEl / test.Count;
        if (features != layers[0])
            throw new InvalidDataException($"checkpoint {checkpoint} holds an MLP with {layers[0]} inputs, but the images in {data} have {features} pixels");
        if (layers[^1] < Mnist.ClassCount)
            throw new InvalidDataException($"checkpoint {checkpoint} holds an MLP with {layers[^1]} outputs, but MNIST has {Mnist.ClassCount} classes");

        var result = Evaluation.Run(model, test, batchSize);
        console.Out.WriteLine($"nabla eval: MLP {MlpFactory.Describe(layers)} from {checkpoint}");
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {result.Correct:N0} of {result.Count:N0} test images from {data} correct; test loss {result.Loss:F4}"));
        console.Out.WriteLine(Evaluation.AccuracyLine(result.Accuracy));
        return ExitCodes.Ok;
    }

    // The metadata names the architecture when nabla wrote the file; a PyTorch MLP saved without it is read from its weights.
    private static int[] Layers(string path, IReadOnlyDictionary<string, Nabla.Tensors.Tensor> state, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.TryGetValue("arch", out string? arch))
        {
            if (arch != MlpFactory.Arch)
                throw new InvalidDataException($"checkpoint {path} holds a '{arch}' model; nabla eval can rebuild: {MlpFactory.Arch}");
            string text = metadata.GetValueOrDefault("layers", "");
            return MlpFactory.ParseLayers(text)
                ?? throw new InvalidDataException($"checkpoint {path} has layers metadata '{text}'; expected sizes such as 784,512,256,10");
        }
        return MlpFactory.InferLayers(state)
            ?? throw new InvalidDataException($"checkpoint {path} has no 'arch' metadata and its tensors ({string.Join(", ", state.Keys.Take(6))}) are not the N.weight matrices of a sequential MLP");
    }
}
