using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>The history of a base tensor after an in-place write through one of its views (PyTorch's CopySlices):
/// new base = old base with the view's region replaced by R, the out-of-place result of the op.
/// d(old base) = dB with the region zeroed;  dR = dB restricted to the region.</summary>
internal sealed class CopySlicesOp : Node
{
    private readonly int[] baseShape, regionShape, regionStrides;
    private readonly int regionOffset;

    private CopySlicesOp(Tensor oldBase, Tensor result, int[] baseShape, int[] regionShape, int[] regionStrides, int regionOffset) : base(oldBase, result)
    {
        (this.baseShape, this.regionShape, this.regionStrides, this.regionOffset) = (baseShape, regionShape, regionStrides, regionOffset);
    }

    public override string Name => "CopySlices";

    /// <summary>Writes <paramref name="result"/> through <paramref name="view"/> and rebases the histories of
    /// <paramref name="viewBase"/> and the view.</summary>
    public static void Rebase(string op, Tensor viewBase, Tensor view, Tensor result)
    {
        if (!viewBase.IsContiguous)
            Throw.InvalidOperation($"{op}: in-place operations through a view are supported for autograd only when the base tensor is contiguous; the base has shape {ShapeUtil.Format(viewBase.ShapeSpan)} and strides {ShapeUtil.Format(viewBase.strides)}. Call Contiguous() on the base first.");
        // The old base keeps the old history; it is an alias whose values are about to change, so it saves nothing.
        var oldBase = viewBase.Detach();
        oldBase.GradFn = viewBase.GradFn;
        int relOffset = view.Offset - viewBase.Offset;
        view.CopyFromRaw(result);
        view.Storage.Version++;
        Graph.Record(viewBase, new CopySlicesOp(oldBase, result, viewBase.shape, view.shape, view.strides, relOffset));
        view.GradFn = new AsStridedOp(viewBase, view.shape, view.strides, relOffset);
    }

    /// <summary>The region of a contiguous tensor shaped like the base.</summary>
    private Tensor Region(Tensor full) => full.AsStrided(regionShape, regionStrides, full.Offset + regionOffset);

    protected internal override void Backward(Tensor dB)
    {
        var g = dB.ContiguousRaw();
        if (NeedsGrad(0))
        {
            var d = g.CloneRaw();
            Region(d).FillRaw(0);
            AddGrad(0, d);
        }
        if (NeedsGrad(1)) AddGrad(1, Region(g).CloneRaw());
    }
}

/// <summary>y = a strided view of a contiguous base (the history a view gets after an in-place write through it).
/// dbase = zeros with dy written into the viewed region (overlapping positions add).</summary>
internal sealed class AsStridedOp(Tensor viewBase, int[] shape, int[] strides, int offset) : Node(viewBase)
{
    private readonly int[] baseShape = viewBase.shape;

    public override string Name => "AsStrided";

    protected internal override void Backward(Tensor dy)
    {
        var d = Tensor.Zeros(baseShape, dy.DType);
        d.AsStrided(shape, strides, offset).CopyFromRaw(dy);
        AddGrad(0, d);
    }
}
