using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Generative;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla train gan</c>: reads the options and runs <see cref="GanRun"/>.</summary>
internal static class TrainGanCommand
{
    /// <summary>Runs with <paramref name="args"/> after "train gan".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(GenerativeCatalog.TrainGan, args);
        if (options.HelpRequested) { console.Out.Write(GenerativeCatalog.TrainGan.Usage()); return ExitCodes.Ok; }
        if (options.Has("--resume"))
        {
            var resumed = GenerativeCatalog.ReadResume(options, "train gan", out var config);
            string source = Path.Combine(resumed.RunDirectory, "config.json");
            var saved = new GanRecipe(GanRecipe.LatentFrom(config.Model, source), Number(config.Model, GanRecipe.LabelSmoothingKey, source),
                Number(config.Model, GanRecipe.Beta1Key, source));
            GanRun.Execute(console, resumed, saved, config);
            return ExitCodes.Ok;
        }
        double smoothing = options.NonNegativeDouble("--label-smoothing", 0);
        if (smoothing >= 1) throw options.Bad("--label-smoothing", options.String("--label-smoothing", ""), "a number in [0, 1), such as 0.1");
        double beta1 = options.NonNegativeDouble("--beta1", GenerativeCatalog.GanBeta1);
        if (beta1 >= 1) throw options.Bad("--beta1", options.String("--beta1", ""), "a number in [0, 1), such as 0.5");
        var recipe = new GanRecipe(options.Int("--latent", GenerativeCatalog.GanLatent), smoothing, beta1);
        var settings = GenerativeCatalog.ReadSettings(options, "gan", GenerativeCatalog.GanEpochs, GenerativeCatalog.GanBatchSize, GenerativeCatalog.GanLearningRate);
        GanRun.Execute(console, settings, recipe);
        return ExitCodes.Ok;
    }

    private static double Number(IReadOnlyDictionary<string, string> model, string key, string source) =>
        double.TryParse(model.GetValueOrDefault(key, ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value : throw new InvalidDataException($"{source} has {key} '{model.GetValueOrDefault(key, "")}'; expected a number");
}
