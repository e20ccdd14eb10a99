using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Training;

/// <summary>A classifier to train: how to build it, its name for people, and the checkpoint metadata that rebuilds it.</summary>
/// <param name="Title">"MLP 784-512-256-10", used in output and on the plot.</param>
/// <param name="Metadata">Written into model.safetensors and config.json ("arch", "layers", …).</param>
/// <param name="Build">Creates the model; called after the generator is seeded, so initialization reproduces.</param>
internal sealed record ModelRecipe(string Title, IReadOnlyDictionary<string, string> Metadata, Func<Module<Tensor, Tensor>> Build);
