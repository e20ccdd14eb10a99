using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>The DCGAN generator for 28×28 images: z [N, latent] → fc (latent → 128·7·7) → bn0 (BatchNorm1d) → ReLU → view
/// [N, 128, 7, 7] → deconv1 (ConvTranspose2d 128 → 64, 4×4, stride 2, pad 1) → bn1 (BatchNorm2d) → ReLU → deconv2
/// (ConvTranspose2d 64 → C, 4×4, stride 2, pad 1) → tanh → images [N, C, 28, 28] in (−1, 1).</summary>
/// <remarks>
/// <para>Radford et al., "Unsupervised Representation Learning with Deep Convolutional Generative Adversarial Networks",
/// 2016, scaled to MNIST. The layers followed by batch norm have no bias (the norm's shift replaces it). The state dict
/// is that of this PyTorch module:</para>
/// <code>
/// class DcganGenerator(nn.Module):
///     def __init__(self, latent=100, channels=1):
///         super().__init__()
///         self.fc = nn.Linear(latent, 128 * 7 * 7, bias=False)
///         self.bn0 = nn.BatchNorm1d(128 * 7 * 7)
///         self.deconv1 = nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False)
///         self.bn1 = nn.BatchNorm2d(64)
///         self.deconv2 = nn.ConvTranspose2d(64, channels, 4, 2, 1)
/// </code>
/// <para>Weights start as in the paper (<see cref="ResetParameters"/>). Real images must be scaled to [−1, 1] to match
/// the tanh output. With a 100-dimensional latent it has 771,969 parameters.</para>
/// </remarks>
public sealed class DcganGenerator : Module<Tensor, Tensor>
{
    /// <summary>Channels of the projected 7×7 feature map.</summary>
    public const int Channels1 = 128;

    /// <summary>Channels of the 14×14 feature map.</summary>
    public const int Channels2 = 64;

    /// <summary>Side of the projected feature map.</summary>
    public const int BaseSide = 7;

    /// <summary>Side of the generated images.</summary>
    public const int Side = 28;

    /// <summary>Builds the generator.</summary>
    /// <param name="latent">Dimensions of the noise z.</param>
    /// <param name="channels">Channels of the generated images.</param>
    /// <param name="generator">Draws the initial weights; <see cref="Generator.Default"/> if null.</param>
    public DcganGenerator(int latent = 100, int channels = 1, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        (Latent, Channels) = (latent, channels);
        const int projected = Channels1 * BaseSide * BaseSide;
        Fc = RegisterModule("fc", new Linear(latent, projected, bias: false));
        Bn0 = RegisterModule("bn0", new BatchNorm1d(projected));
        Deconv1 = RegisterModule("deconv1", new ConvTranspose2d(Channels1, Channels2, 4, stride: 2, padding: 1, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(Channels2));
        Deconv2 = RegisterModule("deconv2", new ConvTranspose2d(Channels2, channels, 4, stride: 2, padding: 1));
        ResetParameters(generator);
    }

    /// <summary>Dimensions of z.</summary>
    public int Latent { get; }

    /// <summary>Channels of the generated images.</summary>
    public int Channels { get; }

    /// <summary>fc: latent → 128·7·7, no bias.</summary>
    public Linear Fc { get; }

    /// <summary>bn0: BatchNorm1d(6272) over the projection.</summary>
    public BatchNorm1d Bn0 { get; }

    /// <summary>deconv1: 128 → 64, 4×4, stride 2, padding 1, no bias.</summary>
    public ConvTranspose2d Deconv1 { get; }

    /// <summary>bn1: BatchNorm2d(64).</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>deconv2: 64 → C, 4×4, stride 2, padding 1.</summary>
    public ConvTranspose2d Deconv2 { get; }

    /// <summary>DCGAN's initialization: weights from N(0, 0.02²), batch-norm scales from N(1, 0.02²), zero biases and shifts.</summary>
    public void ResetParameters(Generator? generator = null) => DcganInit.Apply(this, generator);

    /// <summary>Images [N, C, 28, 28] in (−1, 1) from noise z [N, latent].</summary>
    /// <exception cref="ShapeMismatchException">z is not [N, latent].</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Count != 2 || shape[1] != Latent)
        {
            string expected = $"[N, {Latent}]", actual = "[" + string.Join(", ", shape) + "]";
            throw new ShapeMismatchException(Describe(), expected, actual, $"{Describe()}: noise {actual} must be {expected}.");
        }
        var x = Bn0.Call(Fc.Call(input)).Relu();                          // [N, 6272]
        x = x.View([shape[0], Channels1, BaseSide, BaseSide]);            // [N, 128, 7, 7]
        x = Bn1.Call(Deconv1.Call(x)).Relu();                             // [N, 64, 14, 14]
        return Deconv2.Call(x).Tanh();                                    // [N, C, 28, 28]
    }

    /// <summary><paramref name="count"/> images in (−1, 1) from z ~ N(0, I) drawn from <paramref name="generator"/>.</summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Call(Tensor.Randn([count, Latent], generator: generator));
    }

    /// <inheritdoc/>
    public override string Describe() => $"DcganGenerator({Latent} → {Channels}×{Side}×{Side})";
}
