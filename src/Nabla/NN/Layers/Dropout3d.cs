using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>In training, zeroes each channel of [N, C, D, H, W] or [C, D, H, W] with probability p and scales the rest by 1/(1 − p); in evaluation mode,
/// the identity (<c>nn.Dropout3d</c>). See <see cref="Functional.Dropout3d"/>.</summary>
/// <remarks>The mask comes from the generator given here, or <see cref="Generator.Default"/>, so one seed reproduces it.</remarks>
public sealed class Dropout3d : Module<Tensor, Tensor>
{
    private readonly Generator? generator;

    /// <summary>The probability of zeroing.</summary>
    public double P { get; }

    /// <summary>Creates the layer; p must lie in [0, 1].</summary>
    public Dropout3d(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout3d: probability p must be between 0 and 1; got {p}.");
        (P, this.generator) = (p, generator);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout3d(input, P, Training, generator);

    /// <inheritdoc/>
    public override string Describe() => $"Dropout3d(p={P})";
}
