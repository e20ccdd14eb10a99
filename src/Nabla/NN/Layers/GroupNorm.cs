using System.Globalization;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Group normalization of [N, C, *] (<c>nn.GroupNorm</c>): channels in <see cref="NumGroups"/> groups, each
/// sample's group normalized over its channels and positions, then scaled and shifted per channel.
/// See <see cref="Functional.GroupNorm"/>.</summary>
/// <remarks>γ (<c>weight</c>, ones) and β (<c>bias</c>, zeros) are [C] when affine. Wu and He, "Group Normalization", 2018.</remarks>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    /// <summary>Number of groups G.</summary>
    public int NumGroups { get; }
    /// <summary>Number of channels C, a multiple of G.</summary>
    public int NumChannels { get; }
    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }
    /// <summary>γ [C], or null.</summary>
    public Parameter? Weight { get; }
    /// <summary>β [C], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>Creates the layer (PyTorch's argument order and defaults).</summary>
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true)
    {
        if (numGroups < 1 || numChannels < 1 || numChannels % numGroups != 0)
            throw new ArgumentException($"GroupNorm: num_channels {numChannels} must be divisible by num_groups {numGroups} (both positive).", nameof(numChannels));
        (NumGroups, NumChannels, Eps) = (numGroups, numChannels, eps);
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numChannels]));
            Bias = RegisterParameter("bias", Tensor.Zeros([numChannels]));
        }
    }

    /// <summary>γ = 1, β = 0.</summary>
    public void ResetParameters()
    {
        if (Weight is not null) Init.Ones(Weight);
        if (Bias is not null) Init.Zeros(Bias);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim < 2 || input.Shape[1] != NumChannels)
            throw new ShapeMismatchException(Describe(), $"[N, {NumChannels}, *]", ShapeUtil.Format(input.ShapeSpan),
                $"{Describe()}: expected an input [N, {NumChannels}, *]; got {ShapeUtil.Format(input.ShapeSpan)}.");
        return Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps);
    }

    /// <inheritdoc/>
    public override string Describe() =>
        $"GroupNorm({NumGroups}, {NumChannels}, eps={Eps.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant()}, affine={(Weight is null ? "False" : "True")})";
}
