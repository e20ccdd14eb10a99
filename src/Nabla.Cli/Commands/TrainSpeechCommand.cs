using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Audio;
using Nabla.Cli.Models;
using Nabla.Cli.Training;
using Nabla.Models;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla train speech</c>: a <see cref="MelClassifier"/> on log-mel features of espeak-ng's spoken digits,
/// tested on voices and variants it never heard, with the shared training loop (<see cref="ClassifierRun"/>).</summary>
internal static class TrainSpeechCommand
{
    /// <summary>The architecture name in checkpoint metadata.</summary>
    public const string Arch = "mel_classifier";

    /// <summary>Runs the command with the arguments after "train speech".</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var spec = AudioCatalog.TrainSpeech;
        var options = ArgumentParser.Parse(spec, args);
        if (options.HelpRequested) { console.Out.Write(spec.Usage()); return ExitCodes.Ok; }
        if (options.Has("--resume"))
        {
            foreach (string fixedOption in (string[])["--renditions", "--speakers"])
                if (options.Has(fixedOption))
                    throw new UsageException(spec, $"option {fixedOption} cannot be combined with --resume: the run's config.json fixes it");
            var resumed = TrainOptionReader.ReadResume(WithoutData(options), out var config);
            string arch = config.Model.GetValueOrDefault(ModelMetadata.Arch, "");
            if (arch != Arch)
                throw new InvalidDataException($"cannot resume {resumed.RunDirectory}: its config.json describes model '{arch}'; nabla train speech resumes a {Arch}");
            int renditions = int.Parse(config.Model.GetValueOrDefault("renditions", $"{SpeechData.DefaultRenditions}"), CultureInfo.InvariantCulture);
            int? speakers = config.Model.TryGetValue("speakers", out string? s) && s != "all" ? int.Parse(s, CultureInfo.InvariantCulture) : null;
            string data = options.String("--data", config.Model.GetValueOrDefault("data", SpeechData.DefaultDirectory));
            Train(console, resumed with { DataDirectory = data, FetchIfMissing = false }, data, renditions, speakers, config);
            return ExitCodes.Ok;
        }
        string directory = options.String("--data", SpeechData.DefaultDirectory);
        var settings = TrainOptionReader.Read(WithoutData(options), "speech", AudioCatalog.SpeechDefaults) with { DataDirectory = directory, FetchIfMissing = false };
        Train(console, settings, directory, options.Int("--renditions", SpeechData.DefaultRenditions, 1, 100),
            options.Has("--speakers") ? options.Int("--speakers", 1) : null, resumed: null);
        return ExitCodes.Ok;
    }

    private static void Train(CliConsole console, TrainSettings settings, string directory, int renditions, int? speakers, RunConfig? resumed)
    {
        float mean = 0, std = 1;
        ClassifierData Data()
        {
            var plan = SpeechData.Plan(renditions, speakers);
            SpeechData.Ensure(directory, plan, settings.Threads, console.Out);
            var data = SpeechData.Load(directory, plan, settings.Seed, console.Out);
            (mean, std) = (data.Mean, data.Std);
            return data;
        }
        ModelRecipe Recipe(int[] sample, int classes)
        {
            var metadata = new Dictionary<string, string>
            {
                [ModelMetadata.Arch] = Arch,
                ["classes"] = classes.ToString(CultureInfo.InvariantCulture),
                ["features"] = $"log-mel dB below peak / 80 + 1, {SpeechData.NMels} HTK mels, n_fft 512, win 400, hop 160, {SpeechData.SampleRate} Hz, 1 s clips",
                ["renditions"] = renditions.ToString(CultureInfo.InvariantCulture),
                ["speakers"] = speakers?.ToString(CultureInfo.InvariantCulture) ?? "all",
                ["data"] = Path.GetFullPath(directory),
            };
            foreach (var (key, value) in ModelMetadata.Input(sample, mean, std)) metadata[key] = value;
            return new ModelRecipe($"MelClassifier conv 16-32-64, {classes} words", metadata, () => new MelClassifier(classes, sample[1]));
        }
        ClassifierRun.Execute(console, "train speech", settings, Recipe, resumed, Data);
    }

    // The shared reader treats --data as an MNIST folder; speech has its own (see Train), so it reads the rest without it.
    private static ParsedOptions WithoutData(ParsedOptions options) => options.Without("--data");
}
