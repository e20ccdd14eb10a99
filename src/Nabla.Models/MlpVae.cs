using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>The fully connected VAE of Kingma &amp; Welling and of PyTorch's VAE example: encoder fc1 (C·H·W → 400) → ReLU →
/// fc21 (400 → μ) and fc22 (400 → logσ²); decoder fc3 (latent → 400) → ReLU → fc4 (400 → C·H·W) → pixel logits.</summary>
/// <remarks>
/// <para>The children carry the example's names, so the state dict ("fc1.weight", "fc1.bias", "fc21.weight", …,
/// "fc4.bias") is that of this PyTorch module, and weights load in either framework:</para>
/// <code>
/// class VAE(nn.Module):
///     def __init__(self, latent=20, hidden=400, features=784):
///         super().__init__()
///         self.fc1 = nn.Linear(features, hidden)
///         self.fc21 = nn.Linear(hidden, latent)
///         self.fc22 = nn.Linear(hidden, latent)
///         self.fc3 = nn.Linear(latent, hidden)
///         self.fc4 = nn.Linear(hidden, features)
/// </code>
/// <para>The example's decoder ends in a sigmoid; <see cref="Vae.Decode"/> returns the logits before it (train with
/// <see cref="ReconstructionLoss.BinaryCrossEntropyWithLogits"/>, or apply <see cref="Vae.Generate"/> for pixels). Every
/// layer starts from PyTorch's default initialization. For MNIST with a 20-dimensional latent it has 652,824 parameters.</para>
/// </remarks>
public sealed class MlpVae : Vae
{
    /// <summary>The default width of the hidden layers.</summary>
    public const int DefaultHidden = 400;

    /// <summary>Builds the network for images [<paramref name="channels"/>, <paramref name="height"/>, <paramref name="width"/>].</summary>
    /// <param name="latent">Dimensions of z.</param>
    /// <param name="hidden">Width of the encoder's and the decoder's hidden layer.</param>
    /// <param name="channels">Image channels: 1 for gray.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="generator">Draws the initial weights; <see cref="Generator.Default"/> if null.</param>
    public MlpVae(int latent = 20, int hidden = DefaultHidden, int channels = 1, int height = 28, int width = 28, Generator? generator = null)
        : base(latent, channels, height, width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        Hidden = hidden;
        int features = channels * height * width;
        Fc1 = RegisterModule("fc1", new Linear(features, hidden, generator: generator));
        Fc21 = RegisterModule("fc21", new Linear(hidden, latent, generator: generator));
        Fc22 = RegisterModule("fc22", new Linear(hidden, latent, generator: generator));
        Fc3 = RegisterModule("fc3", new Linear(latent, hidden, generator: generator));
        Fc4 = RegisterModule("fc4", new Linear(hidden, features, generator: generator));
    }

    /// <summary>Width of the hidden layers.</summary>
    public int Hidden { get; }

    /// <summary>fc1: pixels → hidden.</summary>
    public Linear Fc1 { get; }

    /// <summary>fc21: hidden → μ.</summary>
    public Linear Fc21 { get; }

    /// <summary>fc22: hidden → logσ².</summary>
    public Linear Fc22 { get; }

    /// <summary>fc3: latent → hidden.</summary>
    public Linear Fc3 { get; }

    /// <summary>fc4: hidden → pixel logits.</summary>
    public Linear Fc4 { get; }

    /// <inheritdoc/>
    public override VaeEncoding Encode(Tensor images)
    {
        CheckImages(images);
        var h = Fc1.Call(images.Flatten(1)).Relu();   // [N, hidden]
        return new VaeEncoding(Fc21.Call(h), Fc22.Call(h));
    }

    /// <inheritdoc/>
    public override Tensor Decode(Tensor z)
    {
        CheckLatent(z);
        var h = Fc3.Call(z).Relu();                   // [N, hidden]
        return Fc4.Call(h).View([z.Shape[0], Channels, Height, Width]);
    }

    /// <inheritdoc/>
    public override string Describe() => Invariant($"MlpVae({Channels}×{Height}×{Width} → {Hidden} → {Latent})");
}
