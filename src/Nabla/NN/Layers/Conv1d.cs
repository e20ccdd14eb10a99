using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>1-D convolution layer (<c>nn.Conv1d</c>): [N, inChannels, L] → [N, outChannels, L′].</summary>
/// <remarks>Initialization as PyTorch's: U(−1/√fan_in, 1/√fan_in), fan_in = in/groups·k, for weight and bias.</remarks>
public sealed class Conv1d : Module<Tensor, Tensor>
{
    /// <summary>Weight [outChannels, inChannels/groups, k].</summary>
    public Parameter Weight { get; }
    /// <summary>Bias [outChannels], or null.</summary>
    public Parameter? Bias { get; }
    private readonly int stride, dilation, groups;
    private readonly ConvPadding padding;

    /// <summary>Creates the layer with PyTorch's default initialization.</summary>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, ConvPadding? padding = null, int dilation = 1,
        int groups = 1, bool bias = true, Generator? generator = null)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv1d: in_channels {inChannels} and out_channels {outChannels} must be divisible by groups {groups}.");
        (this.stride, this.padding, this.dilation, this.groups) = (stride, padding ?? 0, dilation, groups);
        Weight = RegisterParameter("weight", Tensor.Empty([outChannels, inChannels / groups, kernelSize]));
        Bias = bias ? RegisterParameter("bias", Tensor.Empty([outChannels])) : null;
        Init.LinearDefault(Weight, Bias, generator);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv1d(input, Weight, Bias, stride, padding, dilation, groups);
}
