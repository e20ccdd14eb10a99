using Nabla.Autograd.Ops;

namespace Nabla.Tensors;

// Views and layout changes, differentiable. Views share storage with their base tensor.
public partial class Tensor
{
    /// <summary>A view with a new shape (one dim may be −1); throws if the layout needs a copy (<c>x.view</c>).</summary>
    public Tensor View(params ReadOnlySpan<int> shape) => ReshapeOp.Apply(this, shape, "View", mustView: true);

    /// <summary>A view with a new shape when possible, else a copy (<c>x.reshape</c>).</summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape) => ReshapeOp.Apply(this, shape, "Reshape", mustView: false);

    /// <summary>Merges dims startDim..endDim into one (<c>x.flatten</c>).</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Dim == 0) return Reshape([1]);
        int s = ShapeUtil.WrapDim("Flatten", startDim, Dim), e = ShapeUtil.WrapDim("Flatten", endDim, Dim);
        if (s > e) Throw.Argument($"Flatten: startDim {startDim} comes after endDim {endDim}.");
        var ns = new List<int>();
        for (int i = 0; i < s; i++) ns.Add(shape[i]);
        int m = 1;
        for (int i = s; i <= e; i++) m *= shape[i];
        ns.Add(m);
        for (int i = e + 1; i < Dim; i++) ns.Add(shape[i]);
        return ReshapeOp.Apply(this, [.. ns], "Flatten", mustView: false);
    }

    /// <summary>Splits dimension <paramref name="dim"/> into <paramref name="sizes"/> (<c>x.unflatten</c>).</summary>
    public Tensor Unflatten(int dim, params ReadOnlySpan<int> sizes)
    {
        int d = ShapeUtil.WrapDim("Unflatten", dim, Dim);
        var ns = new List<int>(shape[..d]);
        ns.AddRange(sizes.ToArray());
        ns.AddRange(shape[(d + 1)..]);
        int known = 1, infer = -1;
        for (int i = 0; i < sizes.Length; i++) { if (sizes[i] == -1) infer = i; else known *= sizes[i]; }
        if (infer >= 0) ns[d + infer] = shape[d] / Math.Max(known, 1);
        return ReshapeOp.Apply(this, [.. ns], "Unflatten", mustView: false);
    }

    /// <summary>Removes every dimension of size 1.</summary>
    public Tensor Squeeze()
    {
        var ns = new List<int>();
        foreach (int s in shape) if (s != 1) ns.Add(s);
        return ReshapeOp.Apply(this, [.. ns], "Squeeze", mustView: false);
    }

    /// <summary>Removes dimension <paramref name="dim"/> if its size is 1 (<c>x.squeeze(dim)</c>).</summary>
    public Tensor Squeeze(int dim)
    {
        if (Dim == 0) return this;
        int d = ShapeUtil.WrapDim("Squeeze", dim, Dim);
        if (shape[d] != 1) return this;
        var ns = new List<int>(shape);
        ns.RemoveAt(d);
        return ReshapeOp.Apply(this, [.. ns], "Squeeze", mustView: false);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (<c>x.unsqueeze</c>; −1 appends).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = dim < 0 ? dim + Dim + 1 : dim;
        if (d < 0 || d > Dim) Throw.OutOfRange($"Unsqueeze: dimension {dim} is out of range for a tensor of rank {Dim} (expected {-Dim - 1}..{Dim}).");
        var ns = new List<int>(shape);
        ns.Insert(d, 1);
        return ReshapeOp.Apply(this, [.. ns], "Unsqueeze", mustView: false);
    }

    /// <summary>Swaps two dimensions (a view; <c>x.transpose</c>).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var perm = new int[Dim];
        for (int i = 0; i < Dim; i++) perm[i] = i;
        int a = ShapeUtil.WrapDim("Transpose", dim0, Dim), b = ShapeUtil.WrapDim("Transpose", dim1, Dim);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return PermuteOp.Apply(this, perm, "Transpose");
    }

    /// <summary>The transpose of a 2-D tensor (<c>x.T</c>).</summary>
    public Tensor T
    {
        get
        {
            if (Dim != 2) Throw.Argument($"T: expects a 2-D tensor; got shape {ShapeUtil.Format(shape)}. Use Transpose or Permute.");
            return Transpose(0, 1);
        }
    }

    /// <summary>Reorders dimensions (a view; <c>x.permute</c>).</summary>
    public Tensor Permute(params ReadOnlySpan<int> dims) => PermuteOp.Apply(this, dims, "Permute");

    /// <summary>Broadcasts to a larger shape without copying (−1 keeps a size; <c>x.expand</c>).</summary>
    public Tensor Expand(params ReadOnlySpan<int> shape) => ExpandOp.Apply(this, shape);

    /// <summary>Expands to the shape of <paramref name="other"/>.</summary>
    public Tensor ExpandAs(Tensor other) => ExpandOp.Apply(this, other.shape);

    /// <summary>Elements start … start+length−1 of a dimension (a view; <c>x.narrow</c>).</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = ShapeUtil.WrapDim("Narrow", dim, Dim);
        if (start < 0) start += shape[d];
        if (start < 0 || length < 0 || start + length > shape[d])
            Throw.OutOfRange($"Narrow: range start {start}, length {length} does not fit dimension {d} of size {shape[d]}.");
        return SliceOp.Apply(this, d, start, start + length, 1, dropDim: false, "Narrow");
    }

    /// <summary>x[..., start:end:step, ...] along <paramref name="dim"/>, Python slice rules (a view).</summary>
    public Tensor Slice(int dim, int start, int end, int step = 1) => SliceOp.Apply(this, dim, start, end, step, dropDim: false, "Slice");

    /// <summary>x[..., index, ...]: removes the dimension (a view; <c>x.select</c>).</summary>
    public Tensor Select(int dim, int index) => SliceOp.Apply(this, dim, index, index + 1, 1, dropDim: true, "Select");

    /// <summary>This tensor if contiguous, else a contiguous copy (<c>x.contiguous()</c>).</summary>
    public Tensor Contiguous() => IsContiguous ? this : CloneOp.Apply(this, DType, "Contiguous");

    /// <summary>A copy with its own storage; gradients flow back (<c>x.clone()</c>).</summary>
    public Tensor Clone() => CloneOp.Apply(this, DType, "Clone");

    /// <summary>A copy converted to <paramref name="dtype"/>; this tensor if already of that dtype (<c>x.to(dtype)</c>).</summary>
    public Tensor To(DType dtype) => dtype == DType ? this : CloneOp.Apply(this, dtype, "To");
}
