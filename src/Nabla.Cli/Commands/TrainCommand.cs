using Nabla.Cli.Arguments;
using Nabla.Cli.Models;
using Nabla.Cli.Training;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla train KIND</c>: picks the model kind, reads the shared options and trains.</summary>
internal static class TrainCommand
{
    /// <summary>Runs <c>nabla train</c> with <paramref name="args"/> after the word "train".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        if (args.Length == 0)
            throw new UsageException(CommandCatalog.Train, $"missing the model kind; expected one of {string.Join(", ", CommandCatalog.TrainKinds)}");
        if (args[0] is "--help" or "-h") { console.Out.Write(CommandCatalog.Train.Usage()); return ExitCodes.Ok; }
        return args[0] switch
        {
            "mlp" => Mlp(console, args[1..]),
            "cnn" => Cnn(console, args[1..]),
            "speech" => TrainSpeechCommand.Run(console, args[1..]),
            "vae" => TrainVaeCommand.Run(console, args[1..]),
            "gan" => TrainGanCommand.Run(console, args[1..]),
            "memory" => TrainMemoryCommand.Run(console, args[1..]),
            "charlm" => TrainCharLmCommand.Run(console, args[1..]),
            "seq2seq" => TrainSeq2SeqCommand.Run(console, args[1..]),
            _ => throw new UsageException(CommandCatalog.Train,
                $"unknown model kind '{args[0]}'; expected one of {string.Join(", ", CommandCatalog.TrainKinds)}"),
        };
    }

    /// <summary>The MLP for samples of shape <paramref name="sample"/> (flattened) with the given hidden sizes.</summary>
    /// <remarks>The metadata also records the input image and MNIST's normalization, which the training run applies
    /// (<see cref="MnistDataset.Load"/>), so <c>nabla predict</c> prepares images the same way.</remarks>
    public static ModelRecipe MlpRecipe(int[] sample, int[] hidden, int classes)
    {
        int[] layers = [sample.Aggregate(1, (a, b) => a * b), .. hidden, classes];
        var metadata = MlpFactory.Metadata(layers);
        foreach (var (key, value) in ModelMetadata.Input(sample, MnistDataset.Mean, MnistDataset.Std)) metadata[key] = value;
        return new ModelRecipe($"MLP {MlpFactory.Describe(layers)}", metadata, () => MlpFactory.Build(layers));
    }

    /// <summary>The <see cref="Nabla.Models.Cnn"/> for images of shape <paramref name="sample"/> [C, H, W].</summary>
    /// <remarks>The metadata records the classes, batch norm, input image and MNIST's normalization, so <c>nabla eval</c>
    /// and <c>nabla predict</c> rebuild the network and prepare images as training did.</remarks>
    public static ModelRecipe CnnRecipe(int[] sample, int classes, bool batchNorm)
    {
        var image = ImageShape.FromSample(sample);
        var metadata = CnnFactory.Metadata(classes, batchNorm);
        foreach (var (key, value) in ModelMetadata.Input(sample, MnistDataset.Mean, MnistDataset.Std)) metadata[key] = value;
        return new ModelRecipe(CnnFactory.Title(classes, batchNorm), metadata, () => CnnFactory.Build(image, classes, batchNorm));
    }

    private static int Cnn(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(CommandCatalog.TrainCnn, args);
        if (options.HelpRequested) { console.Out.Write(CommandCatalog.TrainCnn.Usage()); return ExitCodes.Ok; }
        if (options.Has("--resume"))
        {
            if (options.Has("--batch-norm"))
                throw new UsageException(options.Command, "option --batch-norm cannot be combined with --resume: the run's config.json fixes it");
            var resumed = TrainOptionReader.ReadResume(options, out var config);
            string arch = config.Model.GetValueOrDefault(ModelMetadata.Arch, "");
            string batchNorm = config.Model.GetValueOrDefault(CnnFactory.BatchNormKey, "");
            if (arch != CnnFactory.Arch || batchNorm is not ("true" or "false"))
                throw new InvalidDataException($"cannot resume {resumed.RunDirectory}: its config.json describes model '{arch}' with batch_norm '{batchNorm}'; nabla train cnn resumes a CNN (arch cnn, batch_norm true or false)");
            ClassifierRun.Execute(console, "train cnn", resumed, (sample, classes) => CnnRecipe(sample, classes, batchNorm == "true"), config);
            return ExitCodes.Ok;
        }
        var settings = TrainOptionReader.Read(options, "cnn", CommandCatalog.CnnDefaults);
        bool withBatchNorm = options.Flag("--batch-norm");
        ClassifierRun.Execute(console, "train cnn", settings, (sample, classes) => CnnRecipe(sample, classes, withBatchNorm));
        return ExitCodes.Ok;
    }

    private static int Mlp(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(CommandCatalog.TrainMlp, args);
        if (options.HelpRequested) { console.Out.Write(CommandCatalog.TrainMlp.Usage()); return ExitCodes.Ok; }
        if (options.Has("--resume"))
        {
            var resumed = TrainOptionReader.ReadResume(options, out var config);
            string arch = config.Model.GetValueOrDefault("arch", "");
            int[] layers = (arch == MlpFactory.Arch ? MlpFactory.ParseLayers(config.Model.GetValueOrDefault("layers", "")) : null)
                ?? throw new InvalidDataException($"cannot resume {resumed.RunDirectory}: its config.json describes model '{arch}' with layers '{config.Model.GetValueOrDefault("layers", "")}'; nabla train mlp resumes an MLP (arch mlp, layers such as 784,512,256,10)");
            ClassifierRun.Execute(console, "train mlp", resumed, (sample, classes) => MlpRecipe(sample, layers[1..^1], classes), config);
            return ExitCodes.Ok;
        }
        var settings = TrainOptionReader.Read(options, "mlp", CommandCatalog.MlpDefaults);
        int[] hidden = options.IntList("--hidden", CommandCatalog.DefaultHidden);
        ClassifierRun.Execute(console, "train mlp", settings, (sample, classes) => MlpRecipe(sample, hidden, classes));
        return ExitCodes.Ok;
    }
}
