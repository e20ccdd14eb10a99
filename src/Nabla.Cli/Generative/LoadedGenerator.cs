using Nabla.Cli.Models;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Cli.Generative;

/// <summary>A generative model rebuilt from a checkpoint, in evaluation mode: a VAE's decoder or a DCGAN's generator,
/// both mapping z [N, latent] to images in [0, 1].</summary>
/// <param name="Arch">"vae" or "dcgan".</param>
/// <param name="Title">"MLP VAE 784-400-20", "DCGAN (noise 100)", for output.</param>
/// <param name="Latent">Dimensions of z.</param>
/// <param name="Image">The shape of the images it makes.</param>
/// <param name="Vae">The VAE, when it is one.</param>
/// <param name="Gan">The DCGAN generator, when it is one.</param>
internal sealed record LoadedGenerator(string Arch, string Title, int Latent, ImageShape Image, Vae? Vae, DcganGenerator? Gan)
{
    /// <summary>Images [N, C, H, W] in [0, 1] from z [N, latent]: σ(decoder(z)) for a VAE, (G(z) + 1)/2 for a DCGAN.</summary>
    public Tensor Generate(Tensor z) => Vae is not null ? Vae.Generate(z) : Gan!.Call(z).Add(1).Mul(0.5);   // one of the two is set
}
