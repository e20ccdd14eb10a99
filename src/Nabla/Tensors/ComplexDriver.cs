using System.Runtime.InteropServices;

namespace Nabla.Tensors;

/// <summary>Raw (no autograd) complex64 arithmetic: element-wise binary operations with broadcasting and real operands
/// promoted to complex, the parts of a complex tensor and the conversions between complex tensors and (re, im) pairs.</summary>
/// <remarks>A complex tensor's storage is an array of <see cref="Complex64"/>, which .NET cannot alias as a float array,
/// so the pair conversions copy (PyTorch's view_as_real and view_as_complex share memory).</remarks>
internal static class ComplexDriver
{
    /// <summary>The element-wise operations.</summary>
    public enum Operation { Add, Sub, Mul, Div }

    public static Tensor Add(Tensor a, Tensor b) => Binary("Add", a, b, Operation.Add);

    /// <summary>a ∘ b with broadcasting; a real operand (float32 or float64) is promoted to complex64.</summary>
    public static Tensor Binary(string op, Tensor a, Tensor b, Operation operation)
    {
        var shape = ShapeUtil.SameShape(a.shape, b.shape) ? a.shape : ShapeUtil.Broadcast(op, a.shape, b.shape);
        var x = Promote(op, a).ExpandRaw(shape).ContiguousRaw().Span<Complex64>();
        var y = Promote(op, b).ExpandRaw(shape).ContiguousRaw().Span<Complex64>();
        var result = Tensor.Uninitialized(shape, DType.Complex64);
        var z = result.Span<Complex64>();
        switch (operation)
        {
            case Operation.Add: for (int i = 0; i < z.Length; i++) z[i] = x[i] + y[i]; break;
            case Operation.Sub: for (int i = 0; i < z.Length; i++) z[i] = x[i] - y[i]; break;
            case Operation.Mul: for (int i = 0; i < z.Length; i++) z[i] = x[i] * y[i]; break;
            default: for (int i = 0; i < z.Length; i++) z[i] = x[i] / y[i]; break;
        }
        return result;
    }

    /// <summary>A complex64 tensor with the values of <paramref name="t"/> (real ones get a zero imaginary part).</summary>
    public static Tensor Promote(string op, Tensor t)
    {
        if (t.DType == DType.Complex64) return t;
        if (!t.DType.IsFloatingPoint()) Throw.DType(op, t.DType, "complex64, float32 or float64");
        var result = Tensor.Uninitialized(t.shape, DType.Complex64);
        var z = result.Span<Complex64>();
        var c = t.ContiguousRaw();
        if (t.DType == DType.Float32) { var s = c.Span<float>(); for (int i = 0; i < z.Length; i++) z[i] = new Complex64(s[i], 0); }
        else { var s = c.Span<double>(); for (int i = 0; i < z.Length; i++) z[i] = new Complex64((float)s[i], 0); }
        return result;
    }

    /// <summary>Re z or Im z as float32.</summary>
    public static Tensor Part(Tensor z, bool imaginary)
    {
        var pairs = ToPairs(z).Span<float>();
        var result = Tensor.Uninitialized(z.shape, DType.Float32);
        var y = result.Span<float>();
        int k = imaginary ? 1 : 0;
        for (int i = 0; i < y.Length; i++) y[i] = pairs[2 * i + k];
        return result;
    }

    /// <summary>re + i·im from two float tensors of one shape (float64 is rounded to float32).</summary>
    public static Tensor FromParts(Tensor re, Tensor im)
    {
        var r = re.ToRaw(DType.Float32).Span<float>();
        var m = im.ToRaw(DType.Float32).Span<float>();
        var result = Tensor.Uninitialized(re.shape, DType.Complex64);
        var z = result.Span<Complex64>();
        for (int i = 0; i < z.Length; i++) z[i] = new Complex64(r[i], m[i]);
        return result;
    }

    /// <summary>A float32 tensor [..., 2] of (re, im) pairs (a copy).</summary>
    public static Tensor ToPairs(Tensor z)
    {
        var source = MemoryMarshal.Cast<Complex64, float>(z.ContiguousRaw().Span<Complex64>());
        var result = Tensor.Uninitialized([.. z.shape, 2], DType.Float32);
        source.CopyTo(result.Span<float>());
        return result;
    }

    /// <summary>The complex64 tensor [...] of a float tensor [..., 2] of (re, im) pairs (a copy).</summary>
    public static Tensor FromPairs(Tensor pairs)
    {
        var source = pairs.ToRaw(DType.Float32).Span<float>();
        var result = Tensor.Uninitialized(pairs.shape.AsSpan(0, pairs.Dim - 1), DType.Complex64);
        source.CopyTo(MemoryMarshal.Cast<Complex64, float>(result.Span<Complex64>()));
        return result;
    }

    /// <summary>Element-wise f(z) → float32.</summary>
    public static Tensor MapToReal(Tensor z, Func<Complex64, float> f)
    {
        var source = z.ContiguousRaw().Span<Complex64>();
        var result = Tensor.Uninitialized(z.shape, DType.Float32);
        var y = result.Span<float>();
        for (int i = 0; i < y.Length; i++) y[i] = f(source[i]);
        return result;
    }

    /// <summary>Element-wise f(z) → complex64.</summary>
    public static Tensor Map(Tensor z, Func<Complex64, Complex64> f)
    {
        var source = z.ContiguousRaw().Span<Complex64>();
        var result = Tensor.Uninitialized(z.shape, DType.Complex64);
        var y = result.Span<Complex64>();
        for (int i = 0; i < y.Length; i++) y[i] = f(source[i]);
        return result;
    }

    /// <summary>Σ of a complex tensor down to <paramref name="target"/>, the shape it was broadcast from.</summary>
    public static Tensor SumTo(Tensor z, ReadOnlySpan<int> target)
    {
        if (ShapeUtil.SameShape(z.shape, target)) return z;
        return FromPairs(ToPairs(z).SumToRaw([.. target, 2]));
    }
}
