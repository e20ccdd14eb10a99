using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>2-D convolution layer (<c>nn.Conv2d</c>): [N, inChannels, H, W] → [N, outChannels, H′, W′].</summary>
/// <remarks>Weight [out, in/groups, kH, kW] and bias start as PyTorch's: kaiming_uniform(a = √5), i.e.
/// U(−1/√fan_in, 1/√fan_in) with fan_in = in/groups·kH·kW, and the same bound for the bias.</remarks>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    /// <summary>Weight [outChannels, inChannels/groups, kH, kW].</summary>
    public Parameter Weight { get; }

    /// <summary>Bias [outChannels], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>The hyper-parameters.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>Stride.</summary>
    public Size2 Stride { get; }
    /// <summary>Padding.</summary>
    public ConvPadding Padding { get; }
    /// <summary>Dilation.</summary>
    public Size2 Dilation { get; }
    /// <summary>Groups.</summary>
    public int Groups { get; }

    /// <summary>Creates the layer with PyTorch's default initialization.</summary>
    public Conv2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, ConvPadding? padding = null,
        Size2? dilation = null, int groups = 1, bool bias = true, Generator? generator = null)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d: in_channels {inChannels} and out_channels {outChannels} must be divisible by groups {groups}.");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) = (inChannels, outChannels, kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1, groups);
        Weight = RegisterParameter("weight", Tensor.Empty([outChannels, inChannels / groups, kernelSize.H, kernelSize.W]));
        Bias = bias ? RegisterParameter("bias", Tensor.Empty([outChannels])) : null;
        ResetParameters(generator);
    }

    /// <summary>Re-draws the weights from PyTorch's defaults.</summary>
    public void ResetParameters(Generator? generator = null) => Init.LinearDefault(Weight, Bias, generator);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    public override string Describe() => $"Conv2d({InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}
