using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>What an attention call returns: the attended <see cref="Output"/> and, when asked for, the attention
/// <see cref="Weights"/> (each query's distribution over the keys).</summary>
/// <param name="Output">The weighted sum of the values for each query.</param>
/// <param name="Weights">The weights, or null when they were not asked for; their shape is given by the call.</param>
public sealed record AttentionResult(Tensor Output, Tensor? Weights);
