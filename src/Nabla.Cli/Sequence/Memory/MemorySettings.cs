using Nabla.Models;
using Nabla.Models.Tasks;

namespace Nabla.Cli.Sequence.Memory;

/// <summary>Everything that determines a <c>nabla train memory</c> run; written to its config.json.</summary>
/// <param name="Task">"recall" or "adding".</param>
/// <param name="Lengths">The sequence lengths T, each trained and tested separately.</param>
/// <param name="Models">The recurrent kinds compared: "rnn", "lstm", "gru".</param>
/// <param name="Hidden">Hidden units of every recurrent layer.</param>
/// <param name="Steps">The most optimizer steps per (model, length); a run stops earlier once solved.</param>
/// <param name="BatchSize">Sequences per step, drawn fresh every step.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Clip">The largest global gradient norm (<c>clip_grad_norm_</c>), or 0 for no clipping.</param>
/// <param name="Init">"chrono" (<see cref="ChronoInit"/> gate biases for LSTM and GRU) or "pytorch" (PyTorch's defaults).</param>
/// <param name="Symbols">For recall: the symbols to recall, K (the classes).</param>
/// <param name="EvalEvery">Steps between evaluations on the test set (and rows of metrics.csv).</param>
/// <param name="TestSize">Held-out sequences per length.</param>
/// <param name="Seed">Seeds the initialization and the training sequences; the test sets are fixed.</param>
/// <param name="Threads">Kernel threads.</param>
/// <param name="RunDirectory">The run folder.</param>
internal sealed record MemorySettings(string Task, int[] Lengths, string[] Models, int Hidden, int Steps, int BatchSize, double LearningRate,
    double Clip, string Init, int Symbols, int EvalEvery, int TestSize, long Seed, int Threads, string RunDirectory)
{
    /// <summary>The tasks <c>--task</c> accepts.</summary>
    public static readonly string[] Tasks = ["recall", "adding"];

    /// <summary>The models <c>--models</c> accepts.</summary>
    public static readonly string[] ModelNames = ["rnn", "lstm", "gru"];

    /// <summary>The initializations <c>--init</c> accepts.</summary>
    public static readonly string[] Inits = ["chrono", "pytorch"];

    /// <summary>The task over sequences of <paramref name="length"/> steps.</summary>
    public MemoryTask CreateTask(int length) => Task == "adding" ? new AddingTask(length) : new RecallTask(length, Symbols);

    /// <summary>The kind named <paramref name="model"/> ("rnn", "lstm", "gru").</summary>
    public static RecurrentKind Kind(string model) => model switch
    {
        "lstm" => RecurrentKind.Lstm,
        "gru" => RecurrentKind.Gru,
        "rnn" => RecurrentKind.Rnn,
        _ => throw new ArgumentException($"MemorySettings: unknown model '{model}'; expected one of {string.Join(", ", ModelNames)}", nameof(model)),
    };

    /// <summary>"RNN", "LSTM", "GRU".</summary>
    public static string Title(string model) => model.ToUpperInvariant();
}
