using Nabla.Autograd;
using Nabla.Autograd.Ops;

namespace Nabla.Tensors;

// In-place operations (PyTorch's trailing underscore). Each bumps the storage's version counter, so a
// backward pass that saved this tensor's old values refuses to run on the new ones.
public partial class Tensor
{
    /// <summary>this += alpha·other, in place (<c>x.add_</c>); returns this.</summary>
    public Tensor Add_(Tensor other, double alpha = 1) => InPlace("Add_", x => x.Add(other, alpha), other);

    /// <summary>this += scalar, in place.</summary>
    public Tensor Add_(double scalar) => InPlace("Add_", x => x.Add(scalar));

    /// <summary>this −= other, in place.</summary>
    public Tensor Sub_(Tensor other) => InPlace("Sub_", x => x.Sub(other), other);

    /// <summary>this −= scalar, in place.</summary>
    public Tensor Sub_(double scalar) => InPlace("Sub_", x => x.Sub(scalar));

    /// <summary>this ·= other, in place.</summary>
    public Tensor Mul_(Tensor other) => InPlace("Mul_", x => x.Mul(other), other);

    /// <summary>this ·= scalar, in place.</summary>
    public Tensor Mul_(double scalar) => InPlace("Mul_", x => x.Mul(scalar));

    /// <summary>this /= other, in place.</summary>
    public Tensor Div_(Tensor other) => InPlace("Div_", x => x.Div(other), other);

    /// <summary>this /= scalar, in place.</summary>
    public Tensor Div_(double scalar) => InPlace("Div_", x => x.Div(scalar));

    /// <summary>Clamps in place (<c>x.clamp_</c>).</summary>
    public Tensor Clamp_(double? min = null, double? max = null) => InPlace("Clamp_", x => x.Clamp(min, max));

    /// <summary>max(x, 0) in place (<c>x.relu_</c>).</summary>
    public Tensor Relu_() => InPlace("Relu_", x => x.Relu());

    /// <summary>Sets every element to <paramref name="value"/> (<c>x.fill_</c>).</summary>
    public Tensor Fill_(double value) => InPlace("Fill_", x => x.MaskedFill(AllTrue, value));

    /// <summary>Sets every element to zero (<c>x.zero_</c>).</summary>
    public Tensor Zero_() => Fill_(0);

    /// <summary>Copies <paramref name="source"/> (broadcastable) into this tensor (<c>x.copy_</c>); gradients flow to the source.</summary>
    public Tensor Copy_(Tensor source) => InPlace("Copy_", x => x.DType.IsFloatingPoint()
        ? x.MaskedFill(AllTrue, 0).Add(source.To(x.DType))
        : source.To(x.DType).Expand(x.shape), source);

    // The old values are replaced, not scaled: x·0 would keep NaN and ∞ (and does not exist for integer dtypes).
    private static Tensor AllTrue => Scalar(1, DType.Bool);

    /// <summary>Runs an out-of-place version of the op and writes the result into this tensor's elements.</summary>
    /// <remarks>Without recording, the values are simply written. With recording, the op runs on a snapshot of
    /// the old values and this tensor takes over the result's graph node, so gradients stay exact (PyTorch's
    /// rebase of the history). A leaf that requires grad cannot be modified while recording, as in PyTorch.</remarks>
    private Tensor InPlace(string op, Func<Tensor, Tensor> outOfPlace, Tensor? other = null)
    {
        var viewBase = GradMode.IsEnabled ? ViewBase : null;
        bool record = GradMode.IsEnabled && (RequiresGrad || (viewBase?.RequiresGrad ?? false) || (other?.RequiresGrad ?? false));
        if (record && IsLeaf && RequiresGrad)
            Throw.InvalidOperation($"{op}: a leaf tensor that requires grad is being used in an in-place operation; wrap the update in Tensor.NoGrad() or use the out-of-place op.");
        if (record && viewBase is { IsLeaf: true, RequiresGrad: true })
            Throw.InvalidOperation($"{op}: a view of a leaf tensor that requires grad is being used in an in-place operation; wrap the update in Tensor.NoGrad() or clone the leaf first.");
        Tensor result;
        if (!record)
        {
            using var _ = GradMode.NoGrad();
            result = outOfPlace(this);
        }
        else
        {
            var snapshot = CloneRaw();
            snapshot.GradFn = GradFn;
            result = outOfPlace(snapshot);
        }
        if (!ShapeUtil.SameShape(result.shape, shape))
            Throw.Shape(op, ShapeUtil.Format(shape), ShapeUtil.Format(result.shape),
                $"{op}: the result has shape {ShapeUtil.Format(result.shape)} but the in-place target has shape {ShapeUtil.Format(shape)} (the target cannot be broadcast).");
        if (record && viewBase is not null)
        {
            // The write changes the base too: rebase the base's history on a node that splices the result into the
            // old base (PyTorch's CopySlices), and make this view a view of the new base.
            CopySlicesOp.Rebase(op, viewBase, this, result);
            return this;
        }
        CopyFromRaw(result);
        Storage.Version++;
        if (record) GradFn = result.GradFn;
        return this;
    }
}
