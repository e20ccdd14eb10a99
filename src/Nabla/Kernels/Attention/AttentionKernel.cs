using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Nabla.Kernels.Gemm;

namespace Nabla.Kernels.Attention;

/// <summary>Scaled dot-product attention fused per (batch, head) item: P = softmax(α·Q·Kᵀ + M), O = (P ⊙ D)·V, with
/// M the additive mask (and the causal rule), D the scaled dropout mask, α the scale.</summary>
/// <remarks>
/// Items are independent, so threads split them; each item's L × S block of scores stays in cache between its two
/// GEMMs. A row whose keys are all masked gets zero weights (and so a zero output and zero gradients) instead of the
/// NaN of 0/0. Backward (docs/attention.md), with Pd = P ⊙ D and dP = (dO·Vᵀ) ⊙ D:
/// dV = Pdᵀ·dO,  dS = P ⊙ (dP − rowsum(dP ⊙ P)),  dQ = α·dS·K,  dK = α·dSᵀ·Q,  dM = dS.
/// </remarks>
internal static unsafe class AttentionKernel
{
    /// <summary>Computes O and, when <paramref name="p"/> is not empty, keeps P [items, L, S] (before dropout) there.</summary>
    /// <param name="g">Sizes and layouts.</param>
    /// <param name="q">Queries, laid out as <see cref="AttentionGeometry.Q"/>.</param>
    /// <param name="k">Keys.</param>
    /// <param name="v">Values.</param>
    /// <param name="mask">The additive mask, or empty; item b's block starts at <paramref name="maskOffsets"/>[b].</param>
    /// <param name="maskOffsets">One start per item, or empty.</param>
    /// <param name="keep">The scaled dropout mask [items, L, S] (0 or 1/(1 − p)), or empty for no dropout.</param>
    /// <param name="p">Where P goes, [items, L, S], or empty to use scratch (inference).</param>
    /// <param name="o">The output, laid out as <see cref="AttentionGeometry.O"/>.</param>
    public static void Forward<T>(in AttentionGeometry g, ReadOnlySpan<T> q, ReadOnlySpan<T> k, ReadOnlySpan<T> v,
        ReadOnlySpan<T> mask, ReadOnlySpan<long> maskOffsets, ReadOnlySpan<T> keep, Span<T> p, Span<T> o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Items == 0 || g.L == 0) return;
        fixed (T* pq = q)
        fixed (T* pk = k)
        fixed (T* pv = v)
        fixed (T* pm = mask)
        fixed (long* pmo = maskOffsets)
        fixed (T* pkeep = keep)
        fixed (T* pp = p)
        fixed (T* po = o)
            RangeParallel.Run(new ForwardJob<T>(g, pq, pk, pv, pm, pmo, pkeep, pp, po), g.Items, ItemWork(g));
    }

    /// <summary>Writes dQ, dK, dV (each laid out as its input; null pointers — empty spans — are skipped) and, when
    /// <paramref name="dMask"/> is not empty, dS [items, L, S].</summary>
    /// <remarks>Every gradient is overwritten in its item's region (β = 0), so roles that share one buffer must
    /// occupy disjoint columns of it.</remarks>
    public static void Backward<T>(in AttentionGeometry g, ReadOnlySpan<T> q, ReadOnlySpan<T> k, ReadOnlySpan<T> v,
        ReadOnlySpan<T> p, ReadOnlySpan<T> keep, ReadOnlySpan<T> dO, Span<T> dq, Span<T> dk, Span<T> dv, Span<T> dMask)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Items == 0 || g.L == 0) return;
        fixed (T* pq = q)
        fixed (T* pk = k)
        fixed (T* pv = v)
        fixed (T* pp = p)
        fixed (T* pkeep = keep)
        fixed (T* pdo = dO)
        fixed (T* pdq = dq)
        fixed (T* pdk = dk)
        fixed (T* pdv = dv)
        fixed (T* pdm = dMask)
            RangeParallel.Run(new BackwardJob<T>(g, pq, pk, pv, pp, pkeep, pdo, pdq, pdk, pdv, pdm), g.Items, 2 * ItemWork(g));
    }

    // Multiply-adds of one item's two GEMMs: L·S·(D + Dv).
    private static long ItemWork(in AttentionGeometry g) => (long)g.L * g.S * Math.Max(1, g.D + g.Dv);

    /// <summary>Masks, then applies a safe softmax to each row of one item's scores, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxRows<T>(in AttentionGeometry g, Span<T> scores, T* mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int s = g.S;
        for (int i = 0; i < g.L; i++)
        {
            var row = scores.Slice(i * s, s);
            int visible = g.VisibleKeys(i);
            var live = row[..visible];
            row[visible..].Clear();
            if (visible == 0) continue;
            if (mask != null)
            {
                T* m = mask + (long)i * g.MaskRowStride;
                if (g.MaskColumnStride == 1) TensorPrimitives.Add(live, new ReadOnlySpan<T>(m, visible), live);
                else TensorPrimitives.Add(live, *m, live);   // one value broadcast along the row
            }
            T max = TensorPrimitives.Max<T>(live);
            if (T.IsNegativeInfinity(max))
            {
                live.Clear();   // every key masked: defined as zero weights, not 0/0
                continue;
            }
            TensorPrimitives.Subtract(live, max, live);
            TensorPrimitives.Exp<T>(live, live);
            TensorPrimitives.Multiply(live, T.One / TensorPrimitives.Sum<T>(live), live);
        }
    }

    private static ReadOnlySpan<T> Block<T>(T* data, in HeadLayout layout, int item, int heads, int rows, int columns) where T : unmanaged =>
        new(data + layout.Of(item, heads), (int)((rows - 1) * (long)layout.Ld + columns));

    private static Span<T> BlockMut<T>(T* data, in HeadLayout layout, int item, int heads, int rows, int columns) where T : unmanaged =>
        new(data + layout.Of(item, heads), (int)((rows - 1) * (long)layout.Ld + columns));

    private readonly struct ForwardJob<T>(AttentionGeometry g, T* q, T* k, T* v, T* mask, long* maskOffsets, T* keep, T* p, T* o) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            int block = g.WeightsPerItem;
            // Scratch: the scores when P is not kept, and P ⊙ D under dropout.
            T[]? scratch = p == null || keep != null ? ArrayPool<T>.Shared.Rent(2 * block) : null;
            try
            {
                T alpha = T.CreateTruncating(g.Scale);
                for (int b = start; b < end; b++)
                {
                    var weights = p != null ? new Span<T>(p + (long)b * block, block) : scratch.AsSpan(0, block);
                    if (g.S > 0)
                    {
                        // scores = α·Q·Kᵀ   [L, S]
                        GemmOf<T>.Batched(false, true, 1, g.L, g.S, g.D, alpha,
                            Block(q, g.Q, b, g.Heads, g.L, g.D), g.Q.Ld, 0, Block(k, g.K, b, g.Heads, g.S, g.D), g.K.Ld, 0,
                            T.Zero, weights, g.S, 0);
                        SoftmaxRows(g, weights, mask == null ? null : mask + maskOffsets[b]);
                    }
                    ReadOnlySpan<T> applied = weights;
                    if (keep != null)
                    {
                        var dropped = scratch.AsSpan(block, block);
                        TensorPrimitives.Multiply(weights, new ReadOnlySpan<T>(keep + (long)b * block, block), dropped);
                        applied = dropped;
                    }
                    // O = (P ⊙ D)·V   [L, Dv]; with no keys (S = 0) this writes zeros.
                    GemmOf<T>.Batched(false, false, 1, g.L, g.Dv, g.S, T.One, applied, Math.Max(1, g.S), 0,
                        g.S == 0 ? default : Block(v, g.V, b, g.Heads, g.S, g.Dv), Math.Max(g.V.Ld, Math.Max(1, g.Dv)), 0,
                        T.Zero, BlockMut(o, g.O, b, g.Heads, g.L, g.Dv), g.O.Ld, 0);
                }
            }
            finally
            {
                if (scratch is not null) ArrayPool<T>.Shared.Return(scratch);
            }
        }
    }

    private readonly struct BackwardJob<T>(AttentionGeometry g, T* q, T* k, T* v, T* p, T* keep, T* dO, T* dq, T* dk, T* dv, T* dMask) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            int block = g.WeightsPerItem, s = g.S;
            if (s == 0)
            {
                // No keys: the output was zero whatever Q was; dQ is zero, dK and dV are empty.
                if (dq != null)
                    for (int b = start; b < end; b++)
                        for (int i = 0; i < g.L; i++) new Span<T>(dq + g.Q.Of(b, g.Heads) + (long)i * g.Q.Ld, g.D).Clear();
                return;
            }
            T[] scratch = ArrayPool<T>.Shared.Rent(2 * block);
            try
            {
                T alpha = T.CreateTruncating(g.Scale);
                for (int b = start; b < end; b++)
                {
                    var weights = new ReadOnlySpan<T>(p + (long)b * block, block);
                    var itemKeep = keep == null ? default : new ReadOnlySpan<T>(keep + (long)b * block, block);
                    var dOb = Block(dO, g.O, b, g.Heads, g.L, g.Dv);
                    if (dv != null)
                    {
                        ReadOnlySpan<T> applied = weights;
                        if (keep != null)
                        {
                            var dropped = scratch.AsSpan(block, block);
                            TensorPrimitives.Multiply(weights, itemKeep, dropped);
                            applied = dropped;
                        }
                        // dV = (P ⊙ D)ᵀ·dO   [S, Dv]
                        GemmOf<T>.Batched(true, false, 1, s, g.Dv, g.L, T.One, applied, s, 0, dOb, g.O.Ld, 0,
                            T.Zero, BlockMut(dv, g.V, b, g.Heads, s, g.Dv), g.V.Ld, 0);
                    }
                    if (dq == null && dk == null && dMask == null) continue;

                    // dP = (dO·Vᵀ) ⊙ D   [L, S]
                    var ds = scratch.AsSpan(0, block);
                    GemmOf<T>.Batched(false, true, 1, g.L, s, g.Dv, T.One, dOb, g.O.Ld, 0, Block(v, g.V, b, g.Heads, s, g.Dv), g.V.Ld, 0,
                        T.Zero, ds, s, 0);
                    if (keep != null) TensorPrimitives.Multiply(ds, itemKeep, ds);
                    // dS = P ⊙ (dP − ⟨dP, P⟩) row by row: the softmax Jacobian applied to dP.
                    for (int i = 0; i < g.L; i++)
                    {
                        var dRow = ds.Slice(i * s, s);
                        var pRow = weights.Slice(i * s, s);
                        TensorPrimitives.Subtract(dRow, TensorPrimitives.Dot(dRow, pRow), dRow);
                        TensorPrimitives.Multiply(dRow, pRow, dRow);
                    }
                    if (dMask != null) ds.CopyTo(new Span<T>(dMask + (long)b * block, block));
                    // dQ = α·dS·K   [L, D];  dK = α·dSᵀ·Q   [S, D]
                    if (dq != null)
                        GemmOf<T>.Batched(false, false, 1, g.L, g.D, s, alpha, ds, s, 0, Block(k, g.K, b, g.Heads, s, g.D), g.K.Ld, 0,
                            T.Zero, BlockMut(dq, g.Q, b, g.Heads, g.L, g.D), g.Q.Ld, 0);
                    if (dk != null)
                        GemmOf<T>.Batched(true, false, 1, s, g.D, g.L, alpha, ds, s, 0, Block(q, g.Q, b, g.Heads, g.L, g.D), g.Q.Ld, 0,
                            T.Zero, BlockMut(dk, g.K, b, g.Heads, s, g.D), g.K.Ld, 0);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(scratch);
            }
        }
    }
}
