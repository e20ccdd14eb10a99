using Nabla.Cli.Arguments;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>Every command's specification, so parsing, help and error hints come from one table.</summary>
internal static class CommandCatalog
{
    /// <summary>The defaults that <c>nabla demo</c> fixes and <c>nabla train mlp</c> starts from.</summary>
    public const int DefaultEpochs = 5, DefaultBatchSize = 128;

    /// <summary>Steps between checkpoints of the full training state.</summary>
    public const int DefaultCheckpointEvery = 200;

    /// <summary>Adam's default learning rate.</summary>
    public const double DefaultLearningRate = 1e-3;

    /// <summary>The MLP's default hidden layers.</summary>
    public static readonly int[] DefaultHidden = [512, 256];

    private static readonly OptionSpec Out = new("--out", "DIR", "run folder for metrics.csv, model.safetensors, checkpoint.safetensors, config.json, loss.png", "runs/KIND-YYYYMMDD-HHMMSS");
    private static readonly OptionSpec DataDir = new("--data", "DIR", "folder with the four MNIST-format IDX files; fetched only if it is the default", Mnist.DefaultDirectory);
    private static readonly OptionSpec Threads = new("--threads", "N", "kernel threads", "all cores");

    /// <summary>The options every <c>nabla train KIND</c> takes (DESIGN's shared CLI conventions).</summary>
    public static readonly OptionSpec[] TrainOptions =
    [
        new("--epochs", "N", "passes over the training set", $"{DefaultEpochs}"),
        new("--batch-size", "N", "samples per optimizer step", $"{DefaultBatchSize}"),
        new("--lr", "X", "Adam's learning rate", "1e-3"),
        new("--schedule", "NAME", "learning-rate schedule: cosine (decays to 0 over the run) or constant", "cosine"),
        new("--seed", "N", "seeds initialization, shuffling and dropout", "0"),
        Threads,
        Out,
        DataDir,
        new("--checkpoint-every", "N",
            "steps between saves of the whole training state (model, optimizer, schedule, position, random state) to checkpoint.safetensors, which is also saved at each epoch end; 0: at epoch ends only",
            $"{DefaultCheckpointEvery}"),
        new("--resume", "RUN_DIR",
            "continues the run in RUN_DIR from its checkpoint.safetensors with the settings in its config.json, losing only the steps after that checkpoint; metrics.csv is appended to. Only --threads, --data and --checkpoint-every may be given with it"),
        new("--stop-after-steps", "N", "for tests: stops after step N as a kill would, after any checkpoint due at it", Hidden: true),
    ];

    /// <summary>The shared training options that a resumed run may change; the rest are fixed by its config.json.</summary>
    public static readonly string[] ResumeOptions = ["--resume", "--threads", "--data", "--checkpoint-every", "--stop-after-steps"];

    /// <summary><c>nabla demo</c>.</summary>
    public static readonly CommandSpec Demo = new("demo",
        $"Fetches MNIST if missing, trains an MLP 784-512-256-10 (ReLU, Adam, batch {DefaultBatchSize}, {DefaultEpochs} epochs) and prints its test accuracy.",
        [Threads, Out with { Default = "runs/demo-YYYYMMDD-HHMMSS" }, DataDir]);

    /// <summary><c>nabla train mlp</c>.</summary>
    public static readonly CommandSpec TrainMlp = new("train mlp",
        "Trains a multi-layer perceptron (Flatten, Linear+ReLU per hidden layer, Linear) on MNIST-format digits.",
        [.. TrainOptions, new("--hidden", "N,N,...", "hidden layer sizes", "512,256")]);

    /// <summary><c>nabla train</c> without a kind: only for help.</summary>
    public static readonly CommandSpec Train = new("train",
        "Trains a model. Kinds: mlp. Every kind takes the options below; see 'nabla help train KIND' for its own.",
        TrainOptions);

    /// <summary><c>nabla eval</c>.</summary>
    public static readonly CommandSpec Eval = new("eval",
        "Rebuilds a classifier from a checkpoint (its metadata, or the MLP its weight shapes imply) and prints its test accuracy.",
        [
            new("--checkpoint", "FILE", "model.safetensors or checkpoint.safetensors written by nabla train or demo", Required: true),
            DataDir,
            new("--batch-size", "N", "samples per forward pass", "1000"),
            Threads,
        ]);

    /// <summary><c>nabla predict</c>.</summary>
    public static readonly CommandSpec Predict = new("predict",
        "Classifies PNG images with a trained classifier, prepared as in training (gray, size, normalization from the checkpoint), and prints each one's label, confidence and top classes.",
        [
            new("--checkpoint", "FILE", "model.safetensors or checkpoint.safetensors written by nabla train or demo", Required: true),
            new("--resize", "MODE", "images of another size: none (refuse them) or bilinear (resample, antialiased)", "none"),
            new("--top", "K", "classes listed per image, most probable first", "3"),
        ],
        Operands: "IMAGE.png [IMAGE.png ...]");

    /// <summary>The training kinds <c>nabla train</c> knows.</summary>
    public static readonly string[] TrainKinds = ["mlp"];

    /// <summary>The command named by <paramref name="path"/> ("train mlp"), or null.</summary>
    public static CommandSpec? Find(string path) =>
        new[] { Demo, TrainMlp, Train, Eval, Predict }.FirstOrDefault(c => c.Path == path);

    /// <summary>The overview printed by <c>nabla --help</c>.</summary>
    public static string Overview() =>
        $"""
        nabla {Versions.Tool}: deep learning in pure C#, from the command line.

        Usage: nabla COMMAND [OPTIONS]

        Commands:
          demo          {Demo.Summary}
          train mlp     {TrainMlp.Summary}
          eval          {Eval.Summary}
          predict       {Predict.Summary}
          help COMMAND  shows a command's options, e.g. 'nabla help train mlp'

        Options:
          --help        shows this help
          --version     prints the version

        Errors go to standard error; the exit code is 0 on success, 1 when the command fails, 2 for a bad command line.

        """;
}
