using Nabla.Cli.Arguments;
using Nabla.Cli.Training;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>Every command's specification, so parsing, help and error hints come from one table.</summary>
internal static class CommandCatalog
{
    /// <summary>The defaults that <c>nabla demo</c> fixes and <c>nabla train mlp</c> starts from.</summary>
    public const int DefaultEpochs = 5, DefaultBatchSize = 128;

    /// <summary>The defaults of <c>nabla train cnn</c>: Adam with a one-cycle schedule peaking at 3e-3, the shortest run
    /// measured to reach 99.2% test accuracy on MNIST for every seed tried (README, "The nabla tool").</summary>
    public const int CnnEpochs = 4, CnnBatchSize = 64;

    /// <summary>The peak learning rate of <c>nabla train cnn</c>'s one-cycle schedule.</summary>
    public const double CnnLearningRate = 3e-3;

    /// <summary>Steps between checkpoints of the full training state.</summary>
    public const int DefaultCheckpointEvery = 200;

    /// <summary>Adam's default learning rate.</summary>
    public const double DefaultLearningRate = 1e-3;

    /// <summary>The MLP's default hidden layers.</summary>
    public static readonly int[] DefaultHidden = [512, 256];

    /// <summary>What <c>nabla train mlp</c> (and <c>nabla demo</c>) uses for options not given.</summary>
    public static readonly TrainDefaults MlpDefaults = new(DefaultEpochs, DefaultBatchSize, DefaultLearningRate, LearningRateSchedule.Cosine, OptimizerKind.Adam, Augment: false);

    /// <summary>What <c>nabla train cnn</c> uses for options not given.</summary>
    public static readonly TrainDefaults CnnDefaults = new(CnnEpochs, CnnBatchSize, CnnLearningRate, LearningRateSchedule.OneCycle, OptimizerKind.Adam, Augment: false);

    private static readonly OptionSpec Out = new("--out", "DIR", "run folder for metrics.csv, model.safetensors, checkpoint.safetensors, config.json, loss.png, curves.png, misclassified.png", "runs/KIND-YYYYMMDD-HHMMSS");
    private static readonly OptionSpec DataDir = new("--data", "DIR", "folder with the four MNIST-format IDX files (images of any size, classes 0, 1, … from the labels); fetched only if it is the default", Mnist.DefaultDirectory);
    private static readonly OptionSpec Threads = new("--threads", "N", "kernel threads", "all cores");

    /// <summary>The options every <c>nabla train KIND</c> takes (DESIGN's shared CLI conventions), showing the kind's
    /// <paramref name="defaults"/>.</summary>
    public static OptionSpec[] TrainOptions(TrainDefaults defaults) =>
    [
        new("--epochs", "N", "passes over the training set", $"{defaults.Epochs}"),
        new("--batch-size", "N", "samples per optimizer step", $"{defaults.BatchSize}"),
        new("--lr", "X", "the optimizer's learning rate (the peak rate under onecycle)", defaults.LearningRateText),
        new("--schedule", "NAME",
            "learning-rate schedule: cosine (decays to 0 over the run), constant, step (×0.7 after each epoch) or onecycle (warm-up to --lr over 30% of the steps, then cosine decay)",
            LearningRates.Name(defaults.Schedule)),
        new("--optimizer", "NAME", "adam, adamw (decoupled weight decay), sgd or rmsprop", Optimizers.Name(defaults.Optimizer)),
        new("--momentum", "X", "momentum of sgd and rmsprop", "0.9 for sgd, 0 for rmsprop"),
        new("--weight-decay", "X", "weight decay λ (decoupled for adamw, added to the gradient otherwise)", "0.01 for adamw, else 0"),
        OptionSpec.Switch("--augment", "rotates each training image by up to ±10° and shifts it by up to 10% (RandomAffine), differently every epoch"),
        new("--seed", "N", "seeds initialization, shuffling, augmentation and dropout", "0"),
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
        [.. TrainOptions(MlpDefaults), new("--hidden", "N,N,...", "hidden layer sizes", "512,256")]);

    /// <summary><c>nabla train cnn</c>.</summary>
    public static readonly CommandSpec TrainCnn = new("train cnn",
        $"Trains a convolutional network on MNIST-format images: conv 3×3 32 → ReLU → max-pool 2 → conv 3×3 64 → ReLU → max-pool 2 → linear {Nabla.Models.Cnn.Hidden} → ReLU → dropout 0.5 → linear to the classes.",
        [.. TrainOptions(CnnDefaults), OptionSpec.Switch("--batch-norm", "adds batch normalization after each convolution and after the hidden linear layer")]);

    /// <summary><c>nabla train</c> without a kind: only for help.</summary>
    public static readonly CommandSpec Train = new("train",
        "Trains a model. Kinds: mlp, cnn, vae, gan, memory. Every classifier kind takes the options below (defaults shown are mlp's); see 'nabla help train KIND' for its own.",
        TrainOptions(MlpDefaults));

    /// <summary><c>nabla eval</c>.</summary>
    public static readonly CommandSpec Eval = new("eval",
        "Rebuilds a classifier from a checkpoint (by its metadata, or the CNN or MLP its tensor names and shapes imply) and prints its test accuracy.",
        [
            new("--checkpoint", "FILE", "model.safetensors or checkpoint.safetensors written by nabla train or demo", Required: true),
            DataDir,
            new("--batch-size", "N", "samples per forward pass", "250"),
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
    public static readonly string[] TrainKinds = ["mlp", "cnn", "vae", "gan", "charlm", "seq2seq", "memory", "speech"];

    /// <summary>The command named by <paramref name="path"/> ("train mlp"), or null.</summary>
    public static CommandSpec? Find(string path) =>
        new[] { Demo, TrainMlp, TrainCnn, Train, Eval, Predict }.Concat(GenerativeCatalog.All).Concat(SequenceCatalog.All).Append(TrainMemoryCommand.Spec).Concat(AudioCatalog.All).Concat(LabCatalog.All).FirstOrDefault(c => c.Path == path);

    /// <summary>The overview printed by <c>nabla --help</c>.</summary>
    public static string Overview() =>
        $"""
        nabla {Versions.Tool}: deep learning in pure C#, from the command line.

        Usage: nabla COMMAND [OPTIONS]

        Commands:
          demo          {Demo.Summary}
          train mlp     {TrainMlp.Summary}
          train cnn     {TrainCnn.Summary}
          eval          {Eval.Summary}
          predict       {Predict.Summary}
          train memory  {TrainMemoryCommand.Spec.Summary}
        {GenerativeCatalog.OverviewLines}{AudioCatalog.OverviewLines}{LabCatalog.OverviewLines}  help COMMAND  shows a command's options, e.g. 'nabla help train mlp'

        Options:
          --help        shows this help
          --version     prints the version

        Errors go to standard error; the exit code is 0 on success, 1 when the command fails, 2 for a bad command line.

        """;
}
