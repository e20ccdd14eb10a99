namespace Nabla.Cli.Sequence.Memory;

/// <summary>The test accuracy of one (model, length) run at each evaluation, for the plot.</summary>
/// <param name="Model">"rnn", "lstm" or "gru".</param>
/// <param name="Length">The sequence length T.</param>
/// <param name="Steps">The steps at which the test set was evaluated.</param>
/// <param name="TestAccuracy">The test accuracy at each of them, in [0, 1].</param>
internal sealed record LearningCurve(string Model, int Length, double[] Steps, double[] TestAccuracy);
