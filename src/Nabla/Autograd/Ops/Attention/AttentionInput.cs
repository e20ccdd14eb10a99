using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>One operand of <see cref="AttentionOp"/>: head h of batch row n reads columns
/// [Column + h·width, Column + (h + 1)·width) of <see cref="Source"/> [N, T, C].</summary>
/// <remarks>Query, key and value may name the same source at disjoint columns (one packed projection [N, T, 3E]); its
/// gradient is then written into one buffer, with no split and no concatenation.</remarks>
internal readonly record struct AttentionInput(Tensor Source, int Column);
