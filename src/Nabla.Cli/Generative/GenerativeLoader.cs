using Nabla.Cli.Models;
using Nabla.IO;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Cli.Generative;

/// <summary>Rebuilds the VAE or DCGAN generator a checkpoint holds from its "arch" metadata: model.safetensors or
/// checkpoint.safetensors of <c>nabla train vae</c> or <c>nabla train gan</c>.</summary>
internal static class GenerativeLoader
{
    /// <summary>Loads <paramref name="path"/>; <paramref name="command"/> names the tool in errors.</summary>
    /// <exception cref="InvalidDataException">The file holds no VAE or DCGAN, or its tensors do not fit.</exception>
    public static LoadedGenerator Load(string path, string command)
    {
        var state = Checkpoint.LoadModel(path, out var metadata);
        if (GanCheckpoint.IsGanCheckpoint(metadata)) state = GanCheckpoint.GeneratorState(state);
        string arch = metadata.GetValueOrDefault(ModelMetadata.Arch, "");
        var image = metadata.TryGetValue(ModelMetadata.InputShape, out string? shape)
            ? ImageShape.Parse(shape) ?? throw new InvalidDataException($"checkpoint {path} has {ModelMetadata.InputShape} metadata '{shape}'; expected C,H,W such as 1,28,28")
            : new ImageShape(1, 28, 28);
        LoadedGenerator loaded;
        switch (arch)
        {
            case VaeRecipe.ArchName:
                var recipe = VaeRecipe.FromMetadata(metadata, $"checkpoint {path}");
                var vae = recipe.Build(image);
                Fill(vae, state, path, recipe.Title(image));
                loaded = new LoadedGenerator(arch, recipe.Title(image), recipe.Latent, image, vae, null);
                break;
            case GanRecipe.ArchName:
                int latent = GanRecipe.LatentFrom(metadata, $"checkpoint {path}");
                var g = new DcganGenerator(latent, image.Channels);
                Fill(g, state, path, g.Describe());
                loaded = new LoadedGenerator(arch, $"DCGAN (noise {latent})", latent, image, null, g);
                break;
            default:
                throw new InvalidDataException($"checkpoint {path} holds {(arch.Length == 0 ? "a model without 'arch' metadata" : $"a '{arch}' model")}; nabla {command} takes the model.safetensors or checkpoint.safetensors of nabla train vae or nabla train gan");
        }
        (loaded.Vae ?? (Nabla.NN.Module)loaded.Gan!).Eval();
        return loaded;
    }

    private static void Fill(Nabla.NN.Module model, IReadOnlyDictionary<string, Tensor> state, string path, string title)
    {
        try
        {
            model.LoadStateDict(state, strict: true);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"checkpoint {path}: its tensors do not fit the {title}: {e.Message}", e);
        }
    }
}
