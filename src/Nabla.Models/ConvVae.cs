using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>A convolutional VAE: encoder conv1 (C → 32, 4×4, stride 2, pad 1) → ReLU → conv2 (32 → 64, 4×4, stride 2,
/// pad 1) → ReLU → flatten → fc1 (64·H/4·W/4 → 256) → ReLU → fc_mu and fc_logvar (256 → latent); decoder fc2 (latent →
/// 256) → ReLU → fc3 (256 → 64·H/4·W/4) → ReLU → deconv1 (64 → 32, 4×4, stride 2, pad 1) → ReLU → deconv2 (32 → C, 4×4,
/// stride 2, pad 1) → pixel logits.</summary>
/// <remarks>
/// <para>Each stride-2 convolution halves the image and each transposed one doubles it back, so H and W must be
/// multiples of 4 (28 → 14 → 7 → 14 → 28 for MNIST). The state dict is that of this PyTorch module:</para>
/// <code>
/// class ConvVAE(nn.Module):
///     def __init__(self, latent=20, channels=1, height=28, width=28):
///         super().__init__()
///         flat = 64 * (height // 4) * (width // 4)
///         self.conv1 = nn.Conv2d(channels, 32, 4, 2, 1)
///         self.conv2 = nn.Conv2d(32, 64, 4, 2, 1)
///         self.fc1 = nn.Linear(flat, 256)
///         self.fc_mu = nn.Linear(256, latent)
///         self.fc_logvar = nn.Linear(256, latent)
///         self.fc2 = nn.Linear(latent, 256)
///         self.fc3 = nn.Linear(256, flat)
///         self.deconv1 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
///         self.deconv2 = nn.ConvTranspose2d(32, channels, 4, 2, 1)
/// </code>
/// <para>Every layer starts from PyTorch's default initialization.</para>
/// </remarks>
public sealed class ConvVae : Vae
{
    /// <summary>Output channels of the first convolution (and input channels of the last transposed one).</summary>
    public const int Channels1 = 32;

    /// <summary>Output channels of the second convolution.</summary>
    public const int Channels2 = 64;

    /// <summary>Width of the fully connected hidden layers.</summary>
    public const int Hidden = 256;

    /// <summary>Builds the network for images [<paramref name="channels"/>, <paramref name="height"/>, <paramref name="width"/>].</summary>
    /// <param name="latent">Dimensions of z.</param>
    /// <param name="channels">Image channels: 1 for gray.</param>
    /// <param name="height">Image height, a multiple of 4.</param>
    /// <param name="width">Image width, a multiple of 4.</param>
    /// <param name="generator">Draws the initial weights; <see cref="Generator.Default"/> if null.</param>
    /// <exception cref="ArgumentException">The height or width is not a positive multiple of 4.</exception>
    public ConvVae(int latent = 20, int channels = 1, int height = 28, int width = 28, Generator? generator = null)
        : base(latent, channels, height, width)
    {
        if (height % 4 != 0 || width % 4 != 0)
            throw new ArgumentException(Invariant($"ConvVae: the image {height}×{width} must have a height and width that are multiples of 4 (two stride-2 convolutions halve it twice)."));
        Flat = Channels2 * (height / 4) * (width / 4);
        Conv1 = RegisterModule("conv1", new Conv2d(channels, Channels1, 4, stride: 2, padding: 1, generator: generator));
        Conv2 = RegisterModule("conv2", new Conv2d(Channels1, Channels2, 4, stride: 2, padding: 1, generator: generator));
        Fc1 = RegisterModule("fc1", new Linear(Flat, Hidden, generator: generator));
        FcMu = RegisterModule("fc_mu", new Linear(Hidden, latent, generator: generator));
        FcLogVar = RegisterModule("fc_logvar", new Linear(Hidden, latent, generator: generator));
        Fc2 = RegisterModule("fc2", new Linear(latent, Hidden, generator: generator));
        Fc3 = RegisterModule("fc3", new Linear(Hidden, Flat, generator: generator));
        Deconv1 = RegisterModule("deconv1", new ConvTranspose2d(Channels2, Channels1, 4, stride: 2, padding: 1, generator: generator));
        Deconv2 = RegisterModule("deconv2", new ConvTranspose2d(Channels1, channels, 4, stride: 2, padding: 1, generator: generator));
    }

    /// <summary>Values of the flattened feature map: 64·H/4·W/4 (3136 for 28×28).</summary>
    public int Flat { get; }

    /// <summary>conv1: C → 32, 4×4, stride 2, padding 1.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>conv2: 32 → 64, 4×4, stride 2, padding 1.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>fc1: <see cref="Flat"/> → 256.</summary>
    public Linear Fc1 { get; }

    /// <summary>fc_mu: 256 → μ.</summary>
    public Linear FcMu { get; }

    /// <summary>fc_logvar: 256 → logσ².</summary>
    public Linear FcLogVar { get; }

    /// <summary>fc2: latent → 256.</summary>
    public Linear Fc2 { get; }

    /// <summary>fc3: 256 → <see cref="Flat"/>.</summary>
    public Linear Fc3 { get; }

    /// <summary>deconv1: 64 → 32, 4×4, stride 2, padding 1.</summary>
    public ConvTranspose2d Deconv1 { get; }

    /// <summary>deconv2: 32 → C, 4×4, stride 2, padding 1.</summary>
    public ConvTranspose2d Deconv2 { get; }

    /// <inheritdoc/>
    public override VaeEncoding Encode(Tensor images)
    {
        CheckImages(images);
        var x = Conv1.Call(images).Relu();             // [N, 32, H/2, W/2]
        x = Conv2.Call(x).Relu();                      // [N, 64, H/4, W/4]
        var h = Fc1.Call(x.Flatten(1)).Relu();         // [N, 256]
        return new VaeEncoding(FcMu.Call(h), FcLogVar.Call(h));
    }

    /// <inheritdoc/>
    public override Tensor Decode(Tensor z)
    {
        CheckLatent(z);
        var h = Fc3.Call(Fc2.Call(z).Relu()).Relu();   // [N, Flat]
        var x = h.View([z.Shape[0], Channels2, Height / 4, Width / 4]);
        x = Deconv1.Call(x).Relu();                    // [N, 32, H/2, W/2]
        return Deconv2.Call(x);                        // [N, C, H, W]
    }

    /// <inheritdoc/>
    public override string Describe() => Invariant($"ConvVae({Channels}×{Height}×{Width} → {Latent})");
}
