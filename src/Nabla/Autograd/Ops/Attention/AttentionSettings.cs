using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>How <see cref="AttentionOp"/> attends: heads, head sizes, scale α, causal rule (query i sees keys
/// j ≤ i + <see cref="CausalOffset"/>), and dropout on the weights drawn from <see cref="Generator"/>.</summary>
internal sealed record AttentionSettings(int Heads, int HeadDim, int ValueHeadDim, double Scale,
    bool Causal = false, int CausalOffset = 0, double DropoutP = 0, Generator? Generator = null);
