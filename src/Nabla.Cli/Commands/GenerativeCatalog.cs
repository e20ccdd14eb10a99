using Nabla.Cli.Arguments;
using Nabla.Cli.Generative;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>The specifications of the generative commands: <c>train vae</c>, <c>train gan</c>, <c>sample vae|gan</c> and
/// <c>evaluate-generator</c>.</summary>
internal static class GenerativeCatalog
{
    /// <summary>The defaults of <c>nabla train vae</c>: PyTorch's VAE example (Adam 1e-3, batch 128), run for the epochs that
    /// take the MLP VAE with a 20-dimensional latent below 105 nats on the MNIST test set (docs/generative.md).</summary>
    public const int VaeEpochs = 20, VaeBatchSize = 128, VaeLatent = 20;

    /// <summary>Adam's learning rate for the VAE.</summary>
    public const double VaeLearningRate = 1e-3;

    /// <summary>The defaults of <c>nabla train gan</c>: the DCGAN paper's Adam (2e-4, β₁ 0.5) and PyTorch's DCGAN example's
    /// batch of 64, for the epochs measured to cover all ten digits (docs/generative.md).</summary>
    public const int GanEpochs = 20, GanBatchSize = 64, GanLatent = 100;

    /// <summary>Adam's learning rate and β₁ for both GAN networks.</summary>
    public const double GanLearningRate = 2e-4, GanBeta1 = 0.5;

    /// <summary>Generated images that <c>evaluate-generator</c> scores by default, as many as MNIST's test set.</summary>
    public const int EvaluationSamples = 10_000;

    private static readonly OptionSpec Threads = new("--threads", "N", "kernel threads", "all cores");
    private static readonly OptionSpec DataDir = new("--data", "DIR", "folder with the four MNIST-format IDX files; fetched only if it is the default", Mnist.DefaultDirectory);
    private static readonly OptionSpec Seed = new("--seed", "N", "seeds initialization, shuffling and the noise", "0");
    private static readonly OptionSpec Resume = new("--resume", "RUN_DIR",
        "continues the run in RUN_DIR from the checkpoint.safetensors of its last finished epoch, with the settings in its config.json; only --threads and --data may be given with it");
    private static readonly OptionSpec StopAfterSteps = new("--stop-after-steps", "N", "for tests: stops after step N as a kill would", Hidden: true);

    /// <summary>The options <c>--resume</c> may be combined with.</summary>
    public static readonly string[] ResumeOptions = ["--resume", "--threads", "--data", "--stop-after-steps"];

    /// <summary><c>nabla train vae</c>.</summary>
    public static readonly CommandSpec TrainVae = new("train vae",
        "Trains a variational autoencoder on MNIST-format images (pixels in [0, 1]): loss = binary cross-entropy summed over the pixels + β·KL, Adam; reports the test set's negative ELBO in nats per image after every epoch.",
        [
            new("--arch", "NAME", "mlp (784-400-(μ, logσ²) / latent-400-784, as PyTorch's VAE example) or conv (two stride-2 convolutions, two transposed ones)", "mlp"),
            new("--latent", "N", "dimensions of the latent z (2 gives a plottable latent space)", $"{VaeLatent}"),
            new("--hidden", "N", "width of the MLP's hidden layers", $"{Nabla.Models.MlpVae.DefaultHidden}"),
            new("--beta", "X", "weight β of the KL term (1: the VAE's ELBO; more: a β-VAE)", "1"),
            new("--epochs", "N", "passes over the training set", $"{VaeEpochs}"),
            new("--batch-size", "N", "images per step", $"{VaeBatchSize}"),
            new("--lr", "X", "Adam's learning rate", "1e-3"),
            Seed,
            Threads,
            new("--out", "DIR", "run folder for metrics.csv, model.safetensors, checkpoint.safetensors, config.json, loss.png, samples.png, reconstructions.png", "runs/vae-YYYYMMDD-HHMMSS"),
            DataDir,
            Resume,
            StopAfterSteps,
        ]);

    /// <summary><c>nabla train gan</c>.</summary>
    public static readonly CommandSpec TrainGan = new("train gan",
        "Trains a DCGAN on MNIST-format 28×28 images scaled to [−1, 1]: one discriminator and one generator update per step, each with its own Adam; saves a grid of images from the same noise after every epoch and plots the losses and D's outputs.",
        [
            new("--latent", "N", "dimensions of the noise z", $"{GanLatent}"),
            new("--label-smoothing", "X", "one-sided label smoothing s in [0, 1): the discriminator's target for real images is 1 − s", "0"),
            new("--beta1", "X", "Adam's β₁ for both networks", "0.5"),
            new("--epochs", "N", "passes over the training set", $"{GanEpochs}"),
            new("--batch-size", "N", "real (and generated) images per step", $"{GanBatchSize}"),
            new("--lr", "X", "Adam's learning rate for both networks", "2e-4"),
            Seed,
            Threads,
            new("--out", "DIR", "run folder for metrics.csv, model.safetensors (the generator), discriminator.safetensors, checkpoint.safetensors, config.json, samples-epoch-NN.png, samples.png, curves.png", "runs/gan-YYYYMMDD-HHMMSS"),
            DataDir,
            Resume,
            StopAfterSteps,
        ]);

    private static OptionSpec[] SampleOptions(string kind) =>
    [
        new("--checkpoint", "FILE", $"model.safetensors or checkpoint.safetensors written by nabla train {kind}", Required: true),
        new("--out", "DIR", "folder for the PNGs", "a 'samples' folder beside the checkpoint"),
        new("--count", "N", "images in samples.png", "64"),
        new("--steps", "N", "images per interpolation, both ends included", "10"),
        new("--seed", "N", "seeds the noise", "0"),
        .. kind == "vae" ? new[] { DataDir } : [],
        Threads,
    ];

    /// <summary><c>nabla sample vae</c>.</summary>
    public static readonly CommandSpec SampleVae = new("sample vae",
        "Writes PNGs from a trained VAE: samples.png (decoded z ~ N(0, I)), interpolation.png (straight lines between the latent means of test digits); for a 2-dimensional latent also manifold.png (decoded over a grid of z) and latent-scatter.png (the test set's latent means coloured by label).",
        SampleOptions("vae"));

    /// <summary><c>nabla sample gan</c>.</summary>
    public static readonly CommandSpec SampleGan = new("sample gan",
        "Writes PNGs from a trained DCGAN generator: samples.png (random noise) and interpolation.png (straight lines between noise vectors).",
        SampleOptions("gan"));

    /// <summary><c>nabla sample</c> without a kind: only for help.</summary>
    public static readonly CommandSpec Sample = new("sample",
        "Draws images from a trained generative model. Kinds: vae, gan; see 'nabla help sample KIND'.", SampleOptions("vae|gan"));

    /// <summary><c>nabla evaluate-generator</c>.</summary>
    public static readonly CommandSpec EvaluateGenerator = new("evaluate-generator",
        "Scores a trained VAE or DCGAN with a CNN classifier from 'nabla train cnn': the Fréchet distance between its penultimate-layer features on generated and on test images, the distribution of predicted classes over the generated images, and the mean confidence.",
        [
            new("--checkpoint", "FILE", "model.safetensors or checkpoint.safetensors written by nabla train vae or nabla train gan", Required: true),
            new("--classifier", "FILE", "model.safetensors of a CNN trained by nabla train cnn", Required: true),
            new("--samples", "N", "generated images to score", $"{EvaluationSamples}"),
            new("--seed", "N", "seeds the noise", "0"),
            new("--batch-size", "N", "images per forward pass", "500"),
            DataDir,
            Threads,
        ]);

    /// <summary>The sampling kinds.</summary>
    public static readonly string[] SampleKinds = ["vae", "gan"];

    /// <summary>Every generative command's specification, for help.</summary>
    public static IEnumerable<CommandSpec> All => [TrainVae, TrainGan, Sample, SampleVae, SampleGan, EvaluateGenerator];

    /// <summary>The overview lines of the generative commands.</summary>
    public static string OverviewLines =>
        $"""
          train vae     {TrainVae.Summary}
          train gan     {TrainGan.Summary}
          sample vae    {SampleVae.Summary}
          sample gan    {SampleGan.Summary}
          evaluate-generator  {EvaluateGenerator.Summary}

        """;

    /// <summary>Reads the settings shared by <c>train vae</c> and <c>train gan</c> from a new run's command line.</summary>
    public static GenerativeSettings ReadSettings(ParsedOptions options, string runPrefix, int epochs, int batchSize, double learningRate) =>
        new(options.Int("--epochs", epochs), options.Int("--batch-size", batchSize), options.PositiveDouble("--lr", learningRate),
            options.Long("--seed", 0), TrainOptionReader.ReadThreads(options), TrainOptionReader.ReadDataDirectory(options, out bool fetch), fetch,
            options.String("--out", Training.RunFolder.DefaultPath(runPrefix)), StopAfter(options));

    /// <summary>For <c>--resume RUN_DIR</c>: the settings in RUN_DIR/config.json, with --threads and --data from the command line when given.</summary>
    public static GenerativeSettings ReadResume(ParsedOptions options, string command, out Training.RunConfig config)
    {
        foreach (var option in options.Command.Options)
            if (!ResumeOptions.Contains(option.Name) && options.Has(option.Name))
                throw new UsageException(options.Command, $"option {option.Name} cannot be combined with --resume: the run's config.json fixes it");
        string directory = options.RequiredString("--resume");
        string configPath = Path.Combine(directory, "config.json");
        if (!File.Exists(configPath))
            throw options.Bad("--resume", directory, $"a run folder written by nabla {command}, holding config.json and checkpoint.safetensors");
        config = Training.RunConfig.Load(configPath);
        if (config.Command != command)
            throw new InvalidDataException($"cannot resume {directory}: its config.json is of '{config.Command}', not '{command}'");
        string data = config.Data;
        bool fetch = Path.GetFullPath(data) == Path.GetFullPath(Mnist.DefaultDirectory);
        if (options.Has("--data")) data = TrainOptionReader.ReadDataDirectory(options, out fetch);
        return new GenerativeSettings(config.Epochs, config.BatchSize, config.LearningRate, config.Seed,
            options.Has("--threads") ? TrainOptionReader.ReadThreads(options) : config.Threads, data, fetch, directory, StopAfter(options));
    }

    private static long? StopAfter(ParsedOptions options) => options.Has("--stop-after-steps") ? options.Int("--stop-after-steps", 0) : null;
}
