using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Models;

/// <summary>A classifier rebuilt from a checkpoint with its weights, and what its inputs must be.</summary>
/// <param name="Model">The network: input [N, C, H, W] (or [N, features]) → logits [N, classes].</param>
/// <param name="Arch">The architecture name, as in the metadata ("mlp").</param>
/// <param name="Title">"MLP 784-512-256-10", for output.</param>
/// <param name="InputFeatures">Values per input sample.</param>
/// <param name="Image">The input image's shape, or null when the checkpoint does not record it and it cannot be inferred.</param>
/// <param name="Classes">Number of outputs.</param>
/// <param name="Mean">The mean subtracted from pixels in [0, 1] in training.</param>
/// <param name="Std">The standard deviation pixels were then divided by.</param>
internal sealed record LoadedClassifier(Module<Tensor, Tensor> Model, string Arch, string Title, int InputFeatures, ImageShape? Image,
    int Classes, float Mean, float Std);
