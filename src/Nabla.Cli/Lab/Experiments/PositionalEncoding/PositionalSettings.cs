namespace Nabla.Cli.Lab.Experiments.PositionalEncoding;

/// <summary>The sizes of one positional-encoding run.</summary>
/// <param name="Vocabulary">Token ids 0 … V − 1.</param>
/// <param name="Length">Tokens per sequence (even).</param>
/// <param name="DModel">The model width.</param>
/// <param name="Heads">Attention heads per layer.</param>
/// <param name="Layers">Encoder layers.</param>
/// <param name="FeedForward">The feed-forward hidden width.</param>
/// <param name="Steps">Optimizer steps per model.</param>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="LearningRate">Adam's peak learning rate.</param>
/// <param name="TestCount">Held-out sequences.</param>
/// <param name="EvaluateEvery">Steps between evaluations.</param>
/// <param name="TablePositions">Positions shown in the plots of the sinusoidal code.</param>
internal sealed record PositionalSettings(int Vocabulary, int Length, int DModel, int Heads, int Layers, int FeedForward, int Steps, int BatchSize,
    double LearningRate, int TestCount, int EvaluateEvery, int TablePositions)
{
    /// <summary>The sizes for <paramref name="context"/>'s scale.</summary>
    public static PositionalSettings For(LabContext context) => context.Pick(
        smoke: new PositionalSettings(8, 6, 32, 2, 1, 64, 30, 32, 3e-3, 128, 15, 32),
        quick: new PositionalSettings(10, 12, 64, 4, 2, 128, 400, 64, 2e-3, 1000, 20, 64),
        full: new PositionalSettings(10, 16, 64, 4, 2, 128, 1000, 64, 2e-3, 2000, 25, 64));
}
