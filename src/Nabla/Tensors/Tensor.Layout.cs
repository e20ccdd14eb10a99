namespace Nabla.Tensors;

// Raw layout operations: they build views (new shape/strides over the same storage) and copies, without autograd.
// The differentiable public versions (View, Transpose, …) live in Autograd/ and call these.
public partial class Tensor
{
    /// <summary>Strides for viewing this tensor as <paramref name="newShape"/> without copying, or null when
    /// the layout does not allow it (PyTorch's computeStride: each group of merged/split dims must be contiguous).</summary>
    internal int[]? ViewStrides(ReadOnlySpan<int> newShape)
    {
        if (IsContiguous) return ShapeUtil.ContiguousStrides(newShape);
        var newStrides = new int[newShape.Length];
        if (NumEl == 0) return ShapeUtil.ContiguousStrides(newShape);
        int viewD = newShape.Length - 1;
        long chunkBase = strides.Length > 0 ? strides[^1] : 1;
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
                {
                    newStrides[viewD] = (int)(viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0)
                {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    /// <summary>Resolves a single −1 in a requested shape from the element count.</summary>
    internal int[] InferShape(string op, ReadOnlySpan<int> requested)
    {
        var result = requested.ToArray();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0) Throw.Argument($"{op}: only one dimension can be -1 in {ShapeUtil.Format(requested)}.");
                infer = i;
            }
            else if (result[i] < 0) Throw.Argument($"{op}: invalid dimension {result[i]} in {ShapeUtil.Format(requested)}.");
            else known *= result[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || NumEl % known != 0)
                Throw.Shape(op, ShapeUtil.Format(requested), ShapeUtil.Format(shape),
                    $"{op}: shape {ShapeUtil.Format(requested)} is invalid for a tensor of {NumEl} elements {ShapeUtil.Format(shape)}.");
            result[infer] = (int)(NumEl / known);
        }
        else if (known != NumEl)
        {
            Throw.Shape(op, ShapeUtil.Format(requested), ShapeUtil.Format(shape),
                $"{op}: shape {ShapeUtil.Format(requested)} has {known} elements but the tensor {ShapeUtil.Format(shape)} has {NumEl}.");
        }
        return result;
    }

    internal Tensor AsStrided(int[] newShape, int[] newStrides, int newOffset) => new(Storage, newShape, newStrides, newOffset);

    /// <summary>A contiguous copy, or this tensor if already contiguous (no autograd; see Contiguous()).</summary>
    internal Tensor ContiguousRaw()
    {
        if (IsContiguous) return this;
        return CloneRaw();
    }

    /// <summary>A contiguous copy of the elements, with no autograd history.</summary>
    internal Tensor CloneRaw()
    {
        var result = Uninitialized(shape, DType);
        switch (Storage)
        {
            case Storage<float> s: Strided.CopyToContiguous(s.Array, Offset, shape, strides, result.Span<float>()); break;
            case Storage<double> s: Strided.CopyToContiguous(s.Array, Offset, shape, strides, result.Span<double>()); break;
            case Storage<long> s: Strided.CopyToContiguous(s.Array, Offset, shape, strides, result.Span<long>()); break;
            case Storage<int> s: Strided.CopyToContiguous(s.Array, Offset, shape, strides, result.Span<int>()); break;
            case Storage<bool> s: Strided.CopyToContiguous(s.Array, Offset, shape, strides, result.Span<bool>()); break;
            case Storage<Complex64> s: Strided.CopyToContiguous(s.Array, Offset, shape, strides, result.Span<Complex64>()); break;
        }
        return result;
    }

    /// <summary>Copies <paramref name="source"/> (same dtype, broadcastable shape) into this tensor's elements, strided.</summary>
    internal void CopyFromRaw(Tensor source)
    {
        if (source.DType != DType) source = source.ToRaw(DType);
        if (!ShapeUtil.SameShape(source.shape, shape))
        {
            var bs = ShapeUtil.Broadcast("Copy", shape, source.shape);
            if (!ShapeUtil.SameShape(bs, shape))
                Throw.Shape("Copy", ShapeUtil.Format(shape), ShapeUtil.Format(source.shape),
                    $"Copy: source of shape {ShapeUtil.Format(source.shape)} cannot be broadcast to destination {ShapeUtil.Format(shape)}.");
            source = source.AsStrided(shape, ShapeUtil.BroadcastStrides(source.shape, source.strides, shape), source.Offset);
        }
        // Read the source into a contiguous buffer first: it may overlap the destination.
        var src = source.IsContiguous && !SharesStorageWith(source) ? source : source.CloneRaw();
        switch (Storage)
        {
            case Storage<float> d: Strided.CopyFromContiguous<float>(src.Span<float>(), d.Array, Offset, shape, strides); break;
            case Storage<double> d: Strided.CopyFromContiguous<double>(src.Span<double>(), d.Array, Offset, shape, strides); break;
            case Storage<long> d: Strided.CopyFromContiguous<long>(src.Span<long>(), d.Array, Offset, shape, strides); break;
            case Storage<int> d: Strided.CopyFromContiguous<int>(src.Span<int>(), d.Array, Offset, shape, strides); break;
            case Storage<bool> d: Strided.CopyFromContiguous<bool>(src.Span<bool>(), d.Array, Offset, shape, strides); break;
            case Storage<Complex64> d: Strided.CopyFromContiguous<Complex64>(src.Span<Complex64>(), d.Array, Offset, shape, strides); break;
        }
    }

    /// <summary>A contiguous copy converted to <paramref name="dtype"/>, without autograd.</summary>
    internal Tensor ToRaw(DType dtype)
    {
        var src = ContiguousRaw();
        if (dtype == DType) return src == this ? CloneRaw() : src;
        if (DType == DType.Complex64)
            Throw.Argument($"To: a complex64 tensor cannot be converted to {dtype.TorchName()} (the imaginary part would be lost); take Real(), Imag() or Abs() first.");
        var result = Uninitialized(shape, dtype);
        int n = NumEl;
        switch (src.Storage, result.Storage)
        {
            case (Storage<float>, Storage<double>):
                { var a = src.Span<float>(); var b = result.Span<double>(); for (int i = 0; i < n; i++) b[i] = a[i]; break; }
            case (Storage<double>, Storage<float>):
                System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<double, float>(src.Span<double>(), result.Span<float>()); break;
            default:
                for (int i = 0; i < n; i++) result.SetFromDouble(i, src.GetAsDouble(src.Offset + i));
                break;
        }
        return result;
    }
}

// Raw view constructors used by the differentiable views and by kernels.
public partial class Tensor
{
    internal Tensor PermuteRaw(ReadOnlySpan<int> perm)
    {
        var ns = new int[Dim];
        var nst = new int[Dim];
        for (int i = 0; i < perm.Length; i++) { ns[i] = shape[perm[i]]; nst[i] = strides[perm[i]]; }
        return AsStrided(ns, nst, Offset);
    }

    internal Tensor TransposeRaw(int d0, int d1)
    {
        var ns = (int[])shape.Clone();
        var nst = (int[])strides.Clone();
        (ns[d0], ns[d1]) = (ns[d1], ns[d0]);
        (nst[d0], nst[d1]) = (nst[d1], nst[d0]);
        return AsStrided(ns, nst, Offset);
    }

    /// <summary>A view with the given shape, or a contiguous copy reshaped when no view is possible.</summary>
    internal Tensor ReshapeRaw(ReadOnlySpan<int> newShape)
    {
        var target = InferShape("Reshape", newShape);
        var st = ViewStrides(target);
        return st is not null ? AsStrided(target, st, Offset) : new Tensor(CloneRaw().Storage, target);
    }

    internal Tensor ExpandRaw(int[] target) => AsStrided(target, ShapeUtil.BroadcastStrides(shape, strides, target), Offset);

    /// <summary>Σ of this tensor's values down to <paramref name="target"/>, the shape it was broadcast from (no autograd).</summary>
    internal Tensor SumToRaw(ReadOnlySpan<int> target)
    {
        if (ShapeUtil.SameShape(shape, target)) return this;
        int lead = Dim - target.Length;
        var dims = new List<int>();
        for (int i = 0; i < Dim; i++)
            if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) dims.Add(i);
        var summed = dims.Count == 0 ? this : ReduceDriver.Sum(this, [.. dims], keepDim: true);
        return summed.ReshapeRaw(target);
    }

    /// <summary>this += other, in place, without autograd or version bump (gradient accumulation).</summary>
    internal void AddInPlaceRaw(Tensor other)
    {
        if (IsContiguous && other.IsContiguous && ShapeUtil.SameShape(shape, other.shape) && DType == other.DType)
        {
            if (DType == DType.Float32) System.Numerics.Tensors.TensorPrimitives.Add(Span<float>(), other.Span<float>(), Span<float>());
            else if (DType == DType.Complex64) AddComplex(other);
            else System.Numerics.Tensors.TensorPrimitives.Add(Span<double>(), other.Span<double>(), Span<double>());
            return;
        }
        if (DType == DType.Complex64 || other.DType == DType.Complex64)
        {
            CopyFromRaw(ComplexDriver.Add(this, other));
            return;
        }
        CopyFromRaw(BinaryDriver.Run<Kernels.Elementwise.AddKernel>(this, other));
    }

    // Complex gradients accumulate as pairs of reals: (re, im) += (re′, im′).
    private void AddComplex(Tensor other)
    {
        var a = System.Runtime.InteropServices.MemoryMarshal.Cast<Complex64, float>(Span<Complex64>());
        var b = System.Runtime.InteropServices.MemoryMarshal.Cast<Complex64, float>(other.Span<Complex64>());
        System.Numerics.Tensors.TensorPrimitives.Add(a, b, a);
    }
}
