namespace Nabla.Cli.Lab.Experiments.Attention;

/// <summary>The sizes of one attention run.</summary>
/// <param name="Width">d, the width of the toy sentence's embeddings and of its single head.</param>
/// <param name="ScalingWidths">The widths of the √d study.</param>
/// <param name="ScalingSamples">Queries sampled per width in the √d study.</param>
/// <param name="DModel">The translation Transformer's width.</param>
/// <param name="Heads">Its heads.</param>
/// <param name="Layers">Its encoder layers and its decoder layers.</param>
/// <param name="Steps">Its training steps.</param>
/// <param name="BatchSize">Dates per step.</param>
/// <param name="LearningRate">Adam's peak learning rate.</param>
/// <param name="TestDates">Held-out dates for its exact-match score.</param>
internal sealed record AttentionLabSettings(int Width, int[] ScalingWidths, int ScalingSamples, int DModel, int Heads, int Layers, int Steps,
    int BatchSize, double LearningRate, int TestDates)
{
    /// <summary>Keys each sampled query is scored against in the √d study.</summary>
    public const int ScalingKeys = 16;

    /// <summary>The sizes for <paramref name="context"/>'s scale.</summary>
    public static AttentionLabSettings For(LabContext context) => context.Pick(
        smoke: new AttentionLabSettings(4, [4, 16, 64, 256, 1024], 100, 32, 2, 1, 20, 16, 2e-3, 40),
        quick: new AttentionLabSettings(4, [4, 16, 64, 256, 1024], 1000, 64, 4, 1, 800, 64, 2e-3, 500),
        full: new AttentionLabSettings(4, [4, 16, 64, 256, 1024], 4000, 64, 4, 1, 3000, 64, 2e-3, 1000));
}
