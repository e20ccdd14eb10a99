using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>In training, zeroes each element with probability p and scales the rest by 1/(1 − p); in evaluation mode,
/// the identity (<c>nn.Dropout</c>). See <see cref="Functional.Dropout"/>.</summary>
/// <remarks>The mask comes from the generator given here, or <see cref="Generator.Default"/>, so one seed reproduces it.</remarks>
public sealed class Dropout : Module<Tensor, Tensor>
{
    private readonly Generator? generator;

    /// <summary>The probability of zeroing.</summary>
    public double P { get; }

    /// <summary>Creates the layer; p must lie in [0, 1].</summary>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout: probability p must be between 0 and 1; got {p}.");
        (P, this.generator) = (p, generator);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training, generator);

    /// <inheritdoc/>
    public override string Describe() => $"Dropout(p={P})";
}
