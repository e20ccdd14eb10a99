using Nabla.Autograd.Ops;

namespace Nabla.Tensors;

// Indexing, joining, splitting, padding, sorting and scans: the Tensor face of Autograd/Ops/Indexing.
// Differentiable where PyTorch's are; index tensors may be int64 or int32 and are never wrapped when negative.
public partial class Tensor
{
    /// <summary>y[…, j, …] = this[…, index[j], …] along <paramref name="dim"/> (<c>x.index_select(dim, index)</c>).</summary>
    /// <remarks>index: 0-D or 1-D, int64 or int32, values in [0, size(dim)). The result has size index.numel() along
    /// dim. Backward adds each gradient slice into the selected slice, so repeated indices accumulate.</remarks>
    public Tensor IndexSelect(int dim, Tensor index) => IndexSelectOp.Apply(this, dim, index);

    /// <summary>y[p] = this[p with dim ← index[p]] (<c>x.gather(dim, index)</c>); y has index's shape.</summary>
    /// <remarks>index has this tensor's rank and index.size(d) ≤ size(d) for d ≠ dim. Backward is scatter-add.</remarks>
    public Tensor Gather(int dim, Tensor index) => GatherOp.Apply(this, dim, index);

    /// <summary>A copy with y[p with dim ← index[p]] = src[p] for every position p of index (<c>x.scatter(dim, index, src)</c>).</summary>
    /// <remarks>index has this tensor's rank; index.size(d) ≤ src.size(d) for all d and ≤ size(d) for d ≠ dim.
    /// With repeated indices the last write wins (PyTorch leaves it unspecified). Gradients: this gets dy with zeros
    /// at the written positions, src gets dy.gather(dim, index).</remarks>
    public Tensor Scatter(int dim, Tensor index, Tensor src) => ScatterOp.Apply(this, dim, index, src, add: false);

    /// <summary>A copy with y[p with dim ← index[p]] = value for every position p of index (<c>x.scatter(dim, index, value)</c>).</summary>
    public Tensor Scatter(int dim, Tensor index, double value) => ScatterOp.Apply(this, dim, index, value);

    /// <summary>A copy with y[p with dim ← index[p]] += src[p] for every position p of index (<c>x.scatter_add(dim, index, src)</c>).</summary>
    /// <remarks>Repeated indices accumulate. Gradients: this gets dy, src gets dy.gather(dim, index).</remarks>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src) => ScatterOp.Apply(this, dim, index, src, add: true);

    /// <summary>y = value where <paramref name="mask"/> is true, else this (<c>x.masked_fill(mask, value)</c>).</summary>
    /// <remarks>mask is bool and broadcasts with this tensor; the result has the broadcast shape.</remarks>
    public Tensor MaskedFill(Tensor mask, double value) => MaskedFillOp.Apply(this, mask, value);

    /// <summary>out = x where <paramref name="condition"/>, else y (<c>torch.where(condition, x, y)</c>).</summary>
    /// <remarks>condition is bool; x and y share a dtype; all three broadcast to the result's shape.</remarks>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y) => WhereOp.Apply(condition, x, y);

    /// <summary>The tensors joined along an existing dimension (<c>torch.cat(tensors, dim)</c>).</summary>
    /// <remarks>All have the same dtype and rank and equal sizes except along dim; 1-D empty tensors are skipped.</remarks>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0) => CatOp.Apply(tensors, dim);

    /// <summary>The tensors joined along a new dimension <paramref name="dim"/> (<c>torch.stack(tensors, dim)</c>).</summary>
    /// <remarks>All have the same shape; dim ranges over −(rank+1) … rank. [3, 4] ×5 stacked at dim 1 gives [3, 5, 4].</remarks>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) Throw.Argument("Stack: expected a non-empty list of tensors.");
        var first = tensors[0];
        int rank = first.Dim + 1;
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
            Throw.OutOfRange($"Stack: dimension {dim} is out of range for tensors of rank {first.Dim} (expected {-rank}..{rank - 1}).", nameof(dim));
        var parts = new Tensor[tensors.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            var t = tensors[i];
            if (!ShapeUtil.SameShape(t.shape, first.shape))
                Throw.Shape("Stack", ShapeUtil.Format(first.shape), ShapeUtil.Format(t.shape),
                    $"Stack: tensor {i} has shape {ShapeUtil.Format(t.shape)} but tensor 0 has {ShapeUtil.Format(first.shape)}; all tensors must have the same shape.");
            parts[i] = t.Unsqueeze(d);
        }
        return CatOp.Apply(parts, d);
    }

    /// <summary>Views of consecutive pieces of <paramref name="splitSize"/> along dim, the last one smaller if needed
    /// (<c>x.split(split_size, dim)</c>).</summary>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        int d = ShapeUtil.WrapDim("Split", dim, Dim);
        int n = shape[d];
        if (splitSize < 0 || (splitSize == 0 && n != 0))
            Throw.OutOfRange($"Split: splitSize must be positive; got {splitSize} for dimension {d} of size {n}.", nameof(splitSize));
        int count = splitSize == 0 ? 1 : Math.Max((n + splitSize - 1) / splitSize, 1);
        var parts = new Tensor[count];
        for (int i = 0; i < count; i++)
        {
            int start = i * splitSize;
            parts[i] = Narrow(d, start, Math.Min(splitSize, n - start));
        }
        return parts;
    }

    /// <summary>Views of consecutive pieces with the given sizes along dim, which must sum to size(dim)
    /// (<c>x.split([s0, s1, …], dim)</c>).</summary>
    public Tensor[] Split(int[] sections, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(sections);
        int d = ShapeUtil.WrapDim("Split", dim, Dim);
        long sum = 0;
        foreach (int s in sections)
        {
            if (s < 0) Throw.OutOfRange($"Split: section sizes must be non-negative; got {ShapeUtil.Format(sections)}.", nameof(sections));
            sum += s;
        }
        if (sum != shape[d])
            Throw.Shape("Split", $"{shape[d]}", $"{sum}",
                $"Split: section sizes {ShapeUtil.Format(sections)} sum to {sum} but dimension {d} of {ShapeUtil.Format(shape)} has size {shape[d]}; they must sum exactly to it.");
        var parts = new Tensor[sections.Length];
        for (int i = 0, start = 0; i < sections.Length; start += sections[i], i++) parts[i] = Narrow(d, start, sections[i]);
        return parts;
    }

    /// <summary>At most <paramref name="chunks"/> views along dim, each ⌈size/chunks⌉ long except possibly the last
    /// (<c>x.chunk(chunks, dim)</c>); fewer pieces come back when size does not fill them (6 in 4 chunks: 2, 2, 2).</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0) Throw.OutOfRange($"Chunk: chunks must be positive; got {chunks}.", nameof(chunks));
        int d = ShapeUtil.WrapDim("Chunk", dim, Dim);
        int n = shape[d];
        if (n == 0)
        {
            // PyTorch gives `chunks` empty pieces for an empty dimension.
            var empty = new Tensor[chunks];
            for (int i = 0; i < chunks; i++) empty[i] = Narrow(d, 0, 0);
            return empty;
        }
        return Split((n + chunks - 1) / chunks, d);
    }

    /// <summary>Pads (or, with negative amounts, crops) the last dimensions (<c>F.pad(x, pad, mode, value)</c>).</summary>
    /// <remarks>pad = (left, right, top, bottom, front, back): pairs from the last dimension backwards.
    /// mode "constant" (any dims, fill <paramref name="value"/>), "reflect" (mirror without repeating the edge),
    /// "replicate" (repeat the edge) or "circular" (wrap around); the last three pad 1–3 trailing dims of an input
    /// with one or two leading (batch, channel) dims, as in PyTorch. Differentiable.</remarks>
    public Tensor Pad(int[] pad, string mode = "constant", double value = 0) => PadOp.Apply(this, pad, mode, value);

    /// <summary>Each row along dim in ascending (or descending) order, stably, with the original positions
    /// (<c>torch.sort(x, dim, descending, stable=True)</c>).</summary>
    /// <remarks>Indices are int64; NaN sorts above every number. Values are differentiable: dx[indices] = dvalues.</remarks>
    public (Tensor Values, Tensor Indices) Sort(int dim = -1, bool descending = false) => SortOp.Apply(this, dim, descending);

    /// <summary>The positions that sort each row along dim (<c>torch.argsort</c>), int64, stable.</summary>
    public Tensor ArgSort(int dim = -1, bool descending = false) => SortOp.Apply(this, dim, descending).Indices;

    /// <summary>The k largest (or smallest) elements of each row along dim and their positions (<c>torch.topk</c>).</summary>
    /// <remarks>The result is always in order (largest first when <paramref name="largest"/>), also when
    /// <paramref name="sorted"/> is false, which PyTorch allows. Values are differentiable.</remarks>
    public (Tensor Values, Tensor Indices) TopK(int k, int dim = -1, bool largest = true, bool sorted = true)
    {
        _ = sorted;   // always sorted: a valid answer to either request
        return TopKOp.Apply(this, k, dim, largest);
    }

    /// <summary>yⱼ = Σ_{i≤j} xᵢ along <paramref name="dim"/> (<c>torch.cumsum</c>); integer inputs give int64.</summary>
    public Tensor Cumsum(int dim) => CumsumOp.Apply(this, dim);

    /// <summary>yⱼ = Π_{i≤j} xᵢ along <paramref name="dim"/> (<c>torch.cumprod</c>); integer inputs give int64.
    /// The gradient is exact also where x has zeros.</summary>
    public Tensor Cumprod(int dim) => CumprodOp.Apply(this, dim);

    /// <summary>Category indices sampled from each row of non-negative weights, [C] → [numSamples] or
    /// [N, C] → [N, numSamples], int64 (<c>torch.multinomial(input, num_samples, replacement)</c>).</summary>
    /// <remarks>Weights need not sum to 1. Without replacement each row needs at least numSamples positive weights.
    /// Draws come from <paramref name="generator"/> or <see cref="Generator.Default"/>. Not differentiable.</remarks>
    public Tensor Multinomial(int numSamples, bool replacement = false, Generator? generator = null) =>
        MultinomialOp.Apply(this, numSamples, replacement, generator);

    /// <summary>One-hot encoding of an integer tensor: shape + [numClasses], int64 (<c>F.one_hot(x, num_classes)</c>).</summary>
    /// <remarks>numClasses = −1 uses max(x) + 1. Values must lie in [0, numClasses).</remarks>
    public Tensor OneHot(int numClasses = -1) => OneHotOp.Apply(this, numClasses);

    /// <summary>The tensor tiled repeats[i] times along each dimension (<c>x.repeat(*repeats)</c>); extra leading
    /// repeats add dimensions. Differentiable: the gradient sums over the copies.</summary>
    /// <remarks>[2, 3].Repeat(4, 2, 1) → [4, 4, 3]. Built as reshape → expand → reshape: only the final copy allocates.</remarks>
    public Tensor Repeat(params ReadOnlySpan<int> repeats)
    {
        if (repeats.Length < Dim)
            Throw.Argument($"Repeat: {repeats.Length} repeat counts given for a tensor of rank {Dim} {ShapeUtil.Format(shape)}; at least one per dimension is needed.");
        int lead = repeats.Length - Dim;
        var interleaved = new int[2 * repeats.Length];   // [1, s0, 1, s1, …]
        var expanded = new int[2 * repeats.Length];      // [r0, s0, r1, s1, …]
        var result = new int[repeats.Length];            // [r0·s0, r1·s1, …]
        for (int i = 0; i < repeats.Length; i++)
        {
            if (repeats[i] < 0) Throw.OutOfRange($"Repeat: repeat counts must be non-negative; got {ShapeUtil.Format(repeats)}.", nameof(repeats));
            int size = i < lead ? 1 : shape[i - lead];
            interleaved[2 * i] = 1;
            interleaved[2 * i + 1] = size;
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = size;
            result[i] = repeats[i] * size;
        }
        return Reshape(interleaved).Expand(expanded).Reshape(result);
    }
}
