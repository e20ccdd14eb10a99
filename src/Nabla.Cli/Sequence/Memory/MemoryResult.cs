namespace Nabla.Cli.Sequence.Memory;

/// <summary>The outcome of training one model at one sequence length.</summary>
/// <param name="Model">"rnn", "lstm" or "gru".</param>
/// <param name="Length">The sequence length T.</param>
/// <param name="Parameters">The model's parameter count.</param>
/// <param name="Steps">Optimizer steps trained.</param>
/// <param name="SolvedAtStep">The step of the first evaluation that found the task solved, or null.</param>
/// <param name="TestLoss">The final test loss (cross-entropy, or MSE for adding).</param>
/// <param name="TestAccuracy">The final test accuracy in [0, 1].</param>
/// <param name="ChanceAccuracy">The accuracy of the best input-blind answer.</param>
/// <param name="Seconds">Wall-clock seconds of training and evaluation.</param>
/// <param name="DivergedAtStep">The step whose loss was not finite, which ended the run, or null.</param>
internal sealed record MemoryResult(string Model, int Length, long Parameters, int Steps, int? SolvedAtStep, double TestLoss, double TestAccuracy,
    double ChanceAccuracy, double Seconds, int? DivergedAtStep = null);
