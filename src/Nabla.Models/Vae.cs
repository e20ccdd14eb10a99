using System.Globalization;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>A variational autoencoder for images [N, C, H, W] with pixels in [0, 1]: an encoder to a diagonal Gaussian
/// q(z | x) = N(μ, diag σ²), a latent sample z = μ + σ·ε, and a decoder to Bernoulli pixel logits (Kingma &amp; Welling,
/// "Auto-Encoding Variational Bayes", 2014). <see cref="MlpVae"/> and <see cref="ConvVae"/> supply the networks.</summary>
/// <remarks>
/// Train it on <see cref="Functional.VaeLoss"/>(output.Logits, x, output.Mu, output.LogVar, β,
/// <see cref="ReconstructionLoss.BinaryCrossEntropyWithLogits"/>): the negative ELBO for β = 1. The forward pass always
/// samples z (in evaluation mode too, so the loss on a test set is a one-sample estimate of the negative ELBO, as in
/// PyTorch's VAE example); ε is drawn from <see cref="Noise"/>, or <see cref="Generator.Default"/> when it is null.
/// </remarks>
public abstract class Vae : Module<Tensor, VaeOutput>
{
    /// <summary>Sets the sizes shared by every VAE.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    protected Vae(int latent, int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        (Latent, Channels, Height, Width) = (latent, channels, height, width);
    }

    /// <summary>Dimensions of the latent z.</summary>
    public int Latent { get; }

    /// <summary>Image channels.</summary>
    public int Channels { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Where ε of the reparameterization is drawn from; <see cref="Generator.Default"/> when null.</summary>
    public Generator? Noise { get; set; }

    /// <summary>The posterior N(μ, diag σ²) of each image [N, C, H, W].</summary>
    public abstract VaeEncoding Encode(Tensor images);

    /// <summary>Pixel logits [N, C, H, W] of latents z [N, latent]; σ of them is the decoded image in [0, 1].</summary>
    public abstract Tensor Decode(Tensor z);

    /// <summary>Encodes, samples z = μ + σ·ε (<see cref="Functional.Reparameterize"/>) and decodes.</summary>
    /// <exception cref="ShapeMismatchException">The input is not [N, C, H, W] of this model's image shape.</exception>
    public override VaeOutput Forward(Tensor input)
    {
        CheckImages(input);
        var (mu, logVar) = Encode(input);
        var z = Functional.Reparameterize(mu, logVar, Noise);
        return new VaeOutput(Decode(z), mu, logVar, z);
    }

    /// <summary>Images in [0, 1] [N, C, H, W] decoded from latents z [N, latent]: σ(Decode(z)).</summary>
    public Tensor Generate(Tensor z) => Decode(z).Sigmoid();

    /// <summary><paramref name="count"/> new images in [0, 1], decoded from z ~ N(0, I) drawn from <paramref name="generator"/>.</summary>
    public Tensor Sample(int count, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Generate(Tensor.Randn([count, Latent], generator: generator));
    }

    /// <summary>Throws unless <paramref name="input"/> is [N, C, H, W] of this model's image shape.</summary>
    protected void CheckImages(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Count == 4 && shape[1] == Channels && shape[2] == Height && shape[3] == Width) return;
        string expected = Invariant($"[N, {Channels}, {Height}, {Width}]"), actual = "[" + string.Join(", ", shape) + "]";
        throw new ShapeMismatchException(Describe(), expected, actual, $"{Describe()}: input {actual} must be images {expected}.");
    }

    /// <summary>Throws unless <paramref name="z"/> is [N, <see cref="Latent"/>].</summary>
    protected void CheckLatent(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var shape = z.Shape;
        if (shape.Count == 2 && shape[1] == Latent) return;
        string expected = Invariant($"[N, {Latent}]"), actual = "[" + string.Join(", ", shape) + "]";
        throw new ShapeMismatchException(Describe(), expected, actual, $"{Describe()}: latent {actual} must be {expected}.");
    }

    /// <summary>Formats with the invariant culture.</summary>
    private protected static string Invariant(FormattableString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToString(CultureInfo.InvariantCulture);
    }
}
