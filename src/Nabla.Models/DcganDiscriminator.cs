using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>The DCGAN discriminator for 28×28 images: conv1 (C → 64, 4×4, stride 2, pad 1) → LeakyReLU 0.2 → conv2
/// (64 → 128, 4×4, stride 2, pad 1) → bn2 (BatchNorm2d) → LeakyReLU 0.2 → flatten → fc (128·7·7 → 1) → logit [N, 1].</summary>
/// <remarks>
/// <para>The logit is log D/(1 − D) of "this image is real"; pair it with <see cref="Functional.GanDiscriminatorLoss"/>
/// and <see cref="Functional.GanGeneratorLoss"/>, which apply the sigmoid inside a stable cross-entropy. Inputs are in
/// [−1, 1] (the generator's tanh range). The state dict is that of this PyTorch module:</para>
/// <code>
/// class DcganDiscriminator(nn.Module):
///     def __init__(self, channels=1):
///         super().__init__()
///         self.conv1 = nn.Conv2d(channels, 64, 4, 2, 1)
///         self.conv2 = nn.Conv2d(64, 128, 4, 2, 1, bias=False)
///         self.bn2 = nn.BatchNorm2d(128)
///         self.fc = nn.Linear(128 * 7 * 7, 1)
/// </code>
/// <para>Weights start as in the DCGAN paper (<see cref="ResetParameters"/>). It has 138,689 parameters for gray images.</para>
/// </remarks>
public sealed class DcganDiscriminator : Module<Tensor, Tensor>
{
    /// <summary>Output channels of the first convolution.</summary>
    public const int Channels1 = 64;

    /// <summary>Output channels of the second convolution.</summary>
    public const int Channels2 = 128;

    /// <summary>The negative slope of the leaky ReLUs.</summary>
    public const double NegativeSlope = 0.2;

    /// <summary>Builds the discriminator.</summary>
    /// <param name="channels">Channels of the input images.</param>
    /// <param name="generator">Draws the initial weights; <see cref="Generator.Default"/> if null.</param>
    public DcganDiscriminator(int channels = 1, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        Channels = channels;
        Conv1 = RegisterModule("conv1", new Conv2d(channels, Channels1, 4, stride: 2, padding: 1));
        Conv2 = RegisterModule("conv2", new Conv2d(Channels1, Channels2, 4, stride: 2, padding: 1, bias: false));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(Channels2));
        Fc = RegisterModule("fc", new Linear(Channels2 * 7 * 7, 1));
        ResetParameters(generator);
    }

    /// <summary>Channels of the input images.</summary>
    public int Channels { get; }

    /// <summary>conv1: C → 64, 4×4, stride 2, padding 1.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>conv2: 64 → 128, 4×4, stride 2, padding 1, no bias.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>bn2: BatchNorm2d(128).</summary>
    public BatchNorm2d Bn2 { get; }

    /// <summary>fc: 6272 → 1.</summary>
    public Linear Fc { get; }

    /// <summary>DCGAN's initialization: weights from N(0, 0.02²), batch-norm scales from N(1, 0.02²), zero biases and shifts.</summary>
    public void ResetParameters(Generator? generator = null) => DcganInit.Apply(this, generator);

    /// <summary>Logits [N, 1] of images [N, C, 28, 28].</summary>
    /// <exception cref="ShapeMismatchException">The input is not [N, C, 28, 28].</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        const int side = DcganGenerator.Side;
        if (shape.Count != 4 || shape[1] != Channels || shape[2] != side || shape[3] != side)
        {
            string expected = $"[N, {Channels}, {side}, {side}]", actual = "[" + string.Join(", ", shape) + "]";
            throw new ShapeMismatchException(Describe(), expected, actual, $"{Describe()}: input {actual} must be images {expected}.");
        }
        var x = Conv1.Call(input).LeakyRelu(NegativeSlope);              // [N, 64, 14, 14]
        x = Bn2.Call(Conv2.Call(x)).LeakyRelu(NegativeSlope);            // [N, 128, 7, 7]
        return Fc.Call(x.Flatten(1));                                    // [N, 1]
    }

    /// <inheritdoc/>
    public override string Describe() => $"DcganDiscriminator({Channels}×{DcganGenerator.Side}×{DcganGenerator.Side})";
}
