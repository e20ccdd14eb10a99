namespace Nabla.Benchmarks.Timing;

/// <summary>Nabla's and (unless <c>--no-torch</c>) TorchSharp's timings of the same step, taken in alternation.</summary>
internal sealed record Measurement(StepStats Nabla, StepStats? Torch)
{
    /// <summary>Nabla's median over TorchSharp's: below 1, Nabla is faster.</summary>
    public double? Ratio => Torch is null ? null : Nabla.MedianMs / Torch.MedianMs;
}
