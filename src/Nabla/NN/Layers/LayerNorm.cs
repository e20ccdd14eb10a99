using System.Globalization;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Layer normalization over the trailing dimensions <see cref="NormalizedShape"/> (<c>nn.LayerNorm</c>):
/// y = (x − μ)/√(σ² + eps)·γ + β. See <see cref="Functional.LayerNorm"/>.</summary>
/// <remarks>γ (<c>weight</c>, ones) and β (<c>bias</c>, zeros) have the normalized shape; there are none without
/// elementwise affine, and no β with bias false. Ba et al., "Layer Normalization", 2016.</remarks>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly int[] normalizedShape;

    /// <summary>The trailing dimensions normalized over.</summary>
    public IReadOnlyList<int> NormalizedShape => normalizedShape;
    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }
    /// <summary>γ, or null.</summary>
    public Parameter? Weight { get; }
    /// <summary>β, or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>Normalizes over the last dimension of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
        : this([normalizedShape], eps, elementwiseAffine, bias) { }

    /// <summary>Normalizes over the trailing dimensions <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d < 1))
            throw new ArgumentException($"LayerNorm: normalized_shape must be non-empty and positive; got [{string.Join(", ", normalizedShape)}].", nameof(normalizedShape));
        (this.normalizedShape, Eps) = ((int[])normalizedShape.Clone(), eps);
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
            if (bias) Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
        }
    }

    /// <summary>γ = 1, β = 0.</summary>
    public void ResetParameters()
    {
        if (Weight is not null) Init.Ones(Weight);
        if (Bias is not null) Init.Zeros(Bias);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, normalizedShape, Weight, Bias, Eps);

    /// <inheritdoc/>
    public override string Describe() =>
        $"LayerNorm(({string.Join(", ", normalizedShape)}{(normalizedShape.Length == 1 ? "," : "")}), eps={Eps.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant()}, elementwise_affine={(Weight is null ? "False" : "True")})";
}
