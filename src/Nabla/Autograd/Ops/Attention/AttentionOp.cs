using System.Numerics;
using Nabla.Kernels.Attention;
using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Multi-head scaled dot-product attention in one op: for each batch row n and head h,
/// P = softmax(α·Q·Kᵀ + M), O = (P ⊙ D)·V, with the heads of O side by side in [N, L, H·Dv].</summary>
/// <remarks>
/// Saves P [N·H, L, S] (before dropout) and the scaled dropout mask D; backward runs <see cref="AttentionKernel.Backward{T}"/>:
/// dV = (P ⊙ D)ᵀ·dO,  dS = P ⊙ (dP − rowsum(dP ⊙ P)) with dP = (dO·Vᵀ) ⊙ D,  dQ = α·dS·K,  dK = α·dSᵀ·Q,  dM = Σ_bcast dS.
/// Front ends (<c>Functional.ScaledDotProductAttention</c>, <c>MultiheadAttention</c>) check the user's shapes; this op
/// trusts them. A row with every key masked gets zero weights.
/// </remarks>
internal sealed class AttentionOp : Node
{
    private readonly AttentionGeometry geometry;
    private readonly int[] roleSlot;        // query, key, value → index of their source among the node's inputs
    private readonly int[][] sourceShapes;  // per slot
    private readonly bool[] partialCover;   // per slot: the roles leave some columns of the source unused
    private readonly int maskSlot;          // −1 when the mask takes no gradient
    private readonly int[] maskShape, maskItemShape;
    private SavedTensor[] sources;           // contiguous copies (or the inputs themselves), per slot
    private SavedTensor weights, keep;       // P [items, L, S]; D [items, L, S] when dropping out
    private readonly bool dropsOut;

    private AttentionOp(Tensor[] inputs, AttentionGeometry geometry, int[] roleSlot, bool[] partialCover, int maskSlot,
        int[] maskItemShape, Tensor[] contiguous, Tensor weights, Tensor? keep) : base(inputs)
    {
        (this.geometry, this.roleSlot, this.partialCover, this.maskSlot, this.maskItemShape) = (geometry, roleSlot, partialCover, maskSlot, maskItemShape);
        sourceShapes = [.. contiguous.Select(c => c.shape)];
        maskShape = maskSlot >= 0 ? inputs[maskSlot].shape : [];
        sources = [.. contiguous.Select(Save)];
        this.weights = Save(weights);
        dropsOut = keep is not null;
        if (keep is not null) this.keep = Save(keep);
    }

    public override string Name => "ScaledDotProductAttention";

    /// <summary>Attends; returns O [N, L, H·Dv] and, when asked, the applied weights P ⊙ D [N·H, L, S] (no gradient).</summary>
    /// <param name="query">Queries in [N, L, Cq].</param>
    /// <param name="key">Keys in [N, S, Ck].</param>
    /// <param name="value">Values in [N, S, Cv].</param>
    /// <param name="mask">A float additive mask broadcastable to <paramref name="itemShape"/> ++ [L, S], or null.</param>
    /// <param name="itemShape">The batch dimensions of the items, whose product is N·H ([N, H] for heads).</param>
    /// <param name="settings">Heads, head sizes, scale, causal rule and dropout.</param>
    /// <param name="returnWeights">Whether to return the weights.</param>
    public static (Tensor Output, Tensor? Weights) Apply(AttentionInput query, AttentionInput key, AttentionInput value,
        Tensor? mask, int[] itemShape, AttentionSettings settings, bool returnWeights)
    {
        // Node inputs: each distinct source once (if its roles use disjoint columns), then the mask if it needs a gradient.
        var inputs = new List<Tensor>(4);
        var used = new List<List<(int Start, int End)>>(3);
        var roleSlot = new int[3];
        AttentionInput[] roles = [query, key, value];
        for (int r = 0; r < 3; r++)
        {
            int width = settings.Heads * (r == 2 ? settings.ValueHeadDim : settings.HeadDim);
            var range = (Start: roles[r].Column, End: roles[r].Column + width);
            int slot = inputs.FindIndex(t => ReferenceEquals(t, roles[r].Source));
            if (slot >= 0 && used[slot].Exists(u => u.Start < range.End && range.Start < u.End)) slot = -1;
            if (slot < 0)
            {
                slot = inputs.Count;
                inputs.Add(roles[r].Source);
                used.Add([]);
            }
            used[slot].Add(range);
            roleSlot[r] = slot;
        }
        var contiguous = inputs.Select(t => t.ContiguousRaw()).ToArray();
        bool[] partialCover = [.. inputs.Select((t, i) => used[i].Sum(u => u.End - u.Start) < t.shape[^1])];

        var q = contiguous[roleSlot[0]];
        int n = q.shape[0], l = q.shape[1], s = contiguous[roleSlot[1]].shape[1];
        int heads = settings.Heads, d = settings.HeadDim, dv = settings.ValueHeadDim;
        HeadLayout Layout(int role, int width)
        {
            var src = contiguous[roleSlot[role]];
            return new(roles[role].Column, (long)src.shape[1] * src.shape[2], width, src.shape[2]);
        }

        // The mask, read through its broadcast strides: one start per item, one row and one column step.
        Tensor? maskView = null;
        long[] maskOffsets = [];
        int maskRowStride = 0, maskColumnStride = 0;
        if (mask is not null)
        {
            int[] full = [.. itemShape, l, s];
            maskView = mask.ExpandRaw(full);
            if (maskView.strides[^1] > 1) maskView = maskView.ContiguousRaw();
            (maskRowStride, maskColumnStride) = (maskView.strides[^2], maskView.strides[^1]);
            maskOffsets = ItemOffsets(maskView, itemShape.Length);
        }

        var geometry = new AttentionGeometry(n * heads, heads, l, s, d, dv,
            Layout(0, d), Layout(1, d), Layout(2, dv), new HeadLayout(0, (long)l * heads * dv, dv, heads * dv),
            settings.Scale, settings.Causal, settings.CausalOffset, maskRowStride, maskColumnStride);

        bool maskNeedsGrad = mask is not null && mask.RequiresGrad;
        Tensor[] all = maskNeedsGrad ? [.. inputs, mask!] : [.. inputs];
        bool record = Graph.ShouldRecord(all);
        var dtype = q.DType;
        Tensor? keepMask = settings.DropoutP > 0 ? DrawKeep(geometry, settings.DropoutP, settings.Generator ?? Generator.Default, dtype) : null;
        var p = record || returnWeights ? Tensor.Uninitialized([geometry.Items, l, s], dtype) : null;
        var o = Tensor.Uninitialized([n, l, heads * dv], dtype);
        if (dtype == DType.Float32) Forward<float>(geometry, contiguous, roleSlot, maskView, maskOffsets, keepMask, p, o);
        else Forward<double>(geometry, contiguous, roleSlot, maskView, maskOffsets, keepMask, p, o);

        if (p is null) return (o, null);   // neither recorded nor asked for: P lived in per-thread scratch
        Tensor? applied = null;
        // The weights handed out must not alias the saved P, or an in-place change would corrupt backward.
        if (returnWeights) applied = keepMask is not null ? BinaryDriver.Run<MulKernel>(p, keepMask) : record ? p.CloneRaw() : p;
        if (record)
            Graph.Record(o, new AttentionOp(all, geometry, roleSlot, partialCover, maskNeedsGrad ? all.Length - 1 : -1,
                itemShape, contiguous, p, keepMask));
        return (o, applied);
    }

    /// <summary>The storage offset of every item's [L, S] block of a mask expanded to itemShape ++ [L, S].</summary>
    private static long[] ItemOffsets(Tensor expanded, int itemDims)
    {
        int items = ShapeUtil.NumEl(expanded.shape.AsSpan(0, itemDims));
        var offsets = new long[items];
        Span<int> index = stackalloc int[Math.Max(1, itemDims)];
        index.Clear();
        for (int b = 0; b < items; b++)
        {
            long off = expanded.Offset;
            for (int dim = 0; dim < itemDims; dim++) off += (long)index[dim] * expanded.strides[dim];
            offsets[b] = off;
            for (int dim = itemDims - 1; dim >= 0; dim--)   // odometer over the item dimensions
            {
                if (++index[dim] < expanded.shape[dim]) break;
                index[dim] = 0;
            }
        }
        return offsets;
    }

    /// <summary>D: each weight kept with probability 1 − p and scaled by 1/(1 − p), drawn in row-major order over
    /// [items, L, S] exactly as <c>Functional.Dropout</c> draws a mask of that shape, so both paths agree for one seed.</summary>
    private static Tensor DrawKeep(in AttentionGeometry g, double p, Generator generator, DType dtype)
    {
        var keep = Tensor.Uninitialized([g.Items, g.L, g.S], dtype);
        if (dtype == DType.Float32) Draw(keep.Span<float>(), p, generator);
        else Draw(keep.Span<double>(), p, generator);
        return keep;
    }

    private static void Draw<T>(Span<T> mask, double p, Generator generator) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T kept = p >= 1 ? T.Zero : T.CreateTruncating(1 / (1 - p));
        // NextDouble() = (u >> 11)·2⁻⁵³ ≥ p exactly when the integer u >> 11 ≥ ⌈p·2⁵³⌉: the same draws, no conversion.
        ulong threshold = (ulong)Math.Ceiling(Math.Min(p, 1) * (1UL << 53));
        for (int i = 0; i < mask.Length; i++) mask[i] = generator.NextUInt64() >> 11 >= threshold ? kept : T.Zero;
    }

    private static void Forward<T>(in AttentionGeometry g, Tensor[] contiguous, int[] roleSlot, Tensor? mask, long[] maskOffsets,
        Tensor? keep, Tensor? p, Tensor o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        AttentionKernel.Forward<T>(g,
            contiguous[roleSlot[0]].Span<T>(), contiguous[roleSlot[1]].Span<T>(), contiguous[roleSlot[2]].Span<T>(),
            mask is null ? default : mask.Raw<T>(), maskOffsets,
            keep is null ? default : keep.Span<T>(), p is null ? default : p.Span<T>(), o.Span<T>());
    }

    protected internal override void Backward(Tensor dy)
    {
        var dO = dy.ContiguousRaw();
        var src = sources.Select(x => x.Value).ToArray();
        var p = weights.Value;
        var keepMask = dropsOut ? keep.Value : null;
        var grads = new Tensor?[src.Length];
        for (int i = 0; i < src.Length; i++)
            if (NeedsGrad(i))
                grads[i] = partialCover[i] || geometry.L == 0   // no queries: the kernel writes nothing, dK = dV = 0
                    ? Tensor.Zeros(sourceShapes[i], dy.DType) : Tensor.Uninitialized(sourceShapes[i], dy.DType);
        var dMask = maskSlot >= 0 && NeedsGrad(maskSlot) ? Tensor.Zeros(p.shape, dy.DType) : null;

        if (dy.DType == DType.Float32) BackwardKernel<float>(src, p, keepMask, dO, grads, dMask);
        else BackwardKernel<double>(src, p, keepMask, dO, grads, dMask);

        for (int i = 0; i < src.Length; i++)
            if (grads[i] is { } g) AddGrad(i, g);
        if (dMask is not null)
            AddGrad(maskSlot, dMask.ReshapeRaw([.. maskItemShape, geometry.L, geometry.S]).SumToRaw(maskShape));
    }

    private void BackwardKernel<T>(Tensor[] src, Tensor p, Tensor? keepMask, Tensor dO, Tensor?[] grads, Tensor? dMask)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> Grad(int role) => grads[roleSlot[role]] is { } g ? g.Span<T>() : default;
        AttentionKernel.Backward<T>(geometry, src[roleSlot[0]].Span<T>(), src[roleSlot[1]].Span<T>(), src[roleSlot[2]].Span<T>(),
            p.Span<T>(), keepMask is null ? default : keepMask.Span<T>(), dO.Span<T>(),
            Grad(0), Grad(1), Grad(2), dMask is null ? default : dMask.Span<T>());
    }

    protected internal override void ReleaseSaved() => (sources, weights, keep) = ([], default, default);
}
