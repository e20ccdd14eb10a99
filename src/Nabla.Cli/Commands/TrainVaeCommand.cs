using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Generative;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla train vae</c>: reads the options and runs <see cref="VaeRun"/>.</summary>
internal static class TrainVaeCommand
{
    /// <summary>Runs with <paramref name="args"/> after "train vae".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(GenerativeCatalog.TrainVae, args);
        if (options.HelpRequested) { console.Out.Write(GenerativeCatalog.TrainVae.Usage()); return ExitCodes.Ok; }
        if (options.Has("--resume"))
        {
            var resumed = GenerativeCatalog.ReadResume(options, "train vae", out var config);
            var saved = VaeRecipe.FromMetadata(config.Model, Path.Combine(resumed.RunDirectory, "config.json"));
            VaeRun.Execute(console, resumed, saved, config);
            return ExitCodes.Ok;
        }
        string arch = options.Choice("--arch", "mlp", VaeRecipe.Archs);
        if (arch != "mlp" && options.Has("--hidden"))
            throw new UsageException(options.Command, "option --hidden sets the MLP's hidden width; --arch conv has fixed layers");
        var recipe = new VaeRecipe(arch, options.Int("--latent", GenerativeCatalog.VaeLatent), options.Int("--hidden", Nabla.Models.MlpVae.DefaultHidden),
            options.NonNegativeDouble("--beta", 1));
        var settings = GenerativeCatalog.ReadSettings(options, "vae", GenerativeCatalog.VaeEpochs, GenerativeCatalog.VaeBatchSize, GenerativeCatalog.VaeLearningRate);
        VaeRun.Execute(console, settings, recipe);
        return ExitCodes.Ok;
    }
}
