using System.Globalization;

namespace Nabla.Cli.Lab.Common;

/// <summary>The shape of a <see cref="TokenTagger"/>.</summary>
/// <param name="Vocabulary">Input token ids 0 … Vocabulary − 1.</param>
/// <param name="Classes">Label ids per output.</param>
/// <param name="Outputs">Labels per position (each its own softmax over <paramref name="Classes"/>).</param>
/// <param name="Length">The longest sequence (the position table's size).</param>
/// <param name="DModel">d, the model width.</param>
/// <param name="Heads">Attention heads per layer; each has width d / heads.</param>
/// <param name="Layers">Encoder layers.</param>
/// <param name="FeedForward">The feed-forward hidden width.</param>
/// <param name="Positions">The position code added to the token embeddings.</param>
internal sealed record TaggerConfig(int Vocabulary, int Classes, int Outputs, int Length, int DModel, int Heads, int Layers, int FeedForward,
    PositionCode Positions)
{
    /// <summary>"1 layer, d_model 64, 4 heads of width 16, feed-forward 128, sinusoidal positions".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Layers} pre-norm encoder layer{(Layers == 1 ? "" : "s")}, d_model {DModel}, {Heads} head{(Heads == 1 ? "" : "s")} of width {DModel / Heads}, feed-forward {FeedForward}, {PositionText(Positions)}");

    /// <summary>"no position code", "sinusoidal positions", "learned positions".</summary>
    public static string PositionText(PositionCode code) => code switch
    {
        PositionCode.None => "no position code",
        PositionCode.Sinusoidal => "sinusoidal positions",
        _ => "learned positions",
    };
}
