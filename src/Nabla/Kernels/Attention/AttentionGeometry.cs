namespace Nabla.Kernels.Attention;

/// <summary>The sizes and layouts of one scaled dot-product attention call over <see cref="Items"/> independent
/// (batch, head) items: Q [L, D], K [S, D], V [S, Dv] → O [L, Dv] per item.</summary>
/// <remarks>
/// Query i may attend key j unless the causal rule forbids it (j &gt; i + <see cref="CausalOffset"/>) or the additive
/// mask holds −∞ there. The mask of item b, row i, column j lies at <c>maskOffsets[b] + i·MaskRowStride + j·MaskColumnStride</c>,
/// so a mask broadcast over heads, rows or columns is read without being expanded.
/// </remarks>
internal readonly record struct AttentionGeometry(
    int Items, int Heads, int L, int S, int D, int Dv,
    HeadLayout Q, HeadLayout K, HeadLayout V, HeadLayout O,
    double Scale, bool Causal, int CausalOffset,
    int MaskRowStride, int MaskColumnStride)
{
    /// <summary>The number of keys query <paramref name="row"/> may see before any mask: S, or fewer under the causal rule.</summary>
    public int VisibleKeys(int row) => Causal ? Math.Clamp(row + CausalOffset + 1, 0, S) : S;

    /// <summary>Elements of one item's weight matrix, L·S.</summary>
    public int WeightsPerItem => L * S;
}
