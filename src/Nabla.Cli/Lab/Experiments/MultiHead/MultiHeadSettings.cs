namespace Nabla.Cli.Lab.Experiments.MultiHead;

/// <summary>The sizes of one multi-head run.</summary>
/// <param name="Vocabulary">Token ids 0 … V − 1 (chance is 1/V).</param>
/// <param name="Length">Tokens per sequence.</param>
/// <param name="Offsets">The relative positions each position copies.</param>
/// <param name="DModel">The model width, the same for every head count.</param>
/// <param name="FeedForward">The feed-forward hidden width.</param>
/// <param name="HeadCounts">The head counts compared.</param>
/// <param name="Seeds">Training runs per head count (different initializations and data).</param>
/// <param name="Steps">Optimizer steps per run.</param>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="LearningRate">Adam's peak learning rate.</param>
/// <param name="TestCount">Held-out sequences.</param>
/// <param name="EvaluateEvery">Steps between evaluations.</param>
internal sealed record MultiHeadSettings(int Vocabulary, int Length, int[] Offsets, int DModel, int FeedForward, int[] HeadCounts, int Seeds,
    int Steps, int BatchSize, double LearningRate, int TestCount, int EvaluateEvery)
{
    /// <summary>The sizes for <paramref name="context"/>'s scale.</summary>
    public static MultiHeadSettings For(LabContext context) => context.Pick(
        smoke: new MultiHeadSettings(8, 8, [-2, -1, 1, 3], 32, 64, [1, 2, 4, 8], 1, 30, 32, 3e-3, 128, 15),
        quick: new MultiHeadSettings(10, 16, [-2, -1, 1, 3], 64, 128, [1, 2, 4, 8], 1, 600, 64, 3e-3, 1000, 100),
        full: new MultiHeadSettings(10, 16, [-2, -1, 1, 3], 64, 128, [1, 2, 4, 8], 2, 1500, 64, 3e-3, 2000, 100));
}
