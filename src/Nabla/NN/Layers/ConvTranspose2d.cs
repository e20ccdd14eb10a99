using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>2-D transposed convolution layer (<c>nn.ConvTranspose2d</c>): [N, in, H, W] → [N, out, H′, W′] with
/// H′ = (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.</summary>
/// <remarks>Weight [in, out/groups, kH, kW]; initialization as PyTorch's (fan_in computed from dimension 1 of the weight).</remarks>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    /// <summary>Weight [inChannels, outChannels/groups, kH, kW].</summary>
    public Parameter Weight { get; }
    /// <summary>Bias [outChannels], or null.</summary>
    public Parameter? Bias { get; }
    private readonly Size2 stride, padding, outputPadding, dilation;
    private readonly int groups;

    /// <summary>Creates the layer with PyTorch's default initialization.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Size2? padding = null,
        Size2? outputPadding = null, int groups = 1, bool bias = true, Size2? dilation = null, Generator? generator = null)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"ConvTranspose2d: in_channels {inChannels} and out_channels {outChannels} must be divisible by groups {groups}.");
        (this.stride, this.padding, this.outputPadding, this.dilation, this.groups) = (stride ?? 1, padding ?? 0, outputPadding ?? 0, dilation ?? 1, groups);
        Weight = RegisterParameter("weight", Tensor.Empty([inChannels, outChannels / groups, kernelSize.H, kernelSize.W]));
        Bias = bias ? RegisterParameter("bias", Tensor.Empty([outChannels])) : null;
        Init.LinearDefault(Weight, Bias, generator);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.ConvTranspose2d(input, Weight, Bias, stride, padding, outputPadding, groups, dilation);
}
