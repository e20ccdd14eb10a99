using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>The result of a max pooling that also returns where each maximum came from (PyTorch's
/// <c>return_indices=True</c>).</summary>
/// <param name="Output">The pooled values.</param>
/// <param name="Indices">Int64, the output's shape: the flat index h·W + w (l for 1-D) of each maximum in its input plane.</param>
public sealed record MaxPoolOutput(Tensor Output, Tensor Indices);
