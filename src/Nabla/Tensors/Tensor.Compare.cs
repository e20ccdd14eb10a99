namespace Nabla.Tensors;

// Comparisons and predicates: not differentiable; they return Bool tensors (masks).
public partial class Tensor
{
    private enum Cmp { Eq, Ne, Lt, Le, Gt, Ge }

    /// <summary>this == other element-wise, broadcasting; Bool result.</summary>
    public Tensor Eq(Tensor other) => Compare(other, Cmp.Eq, "Eq");
    /// <summary>this != other.</summary>
    public Tensor Ne(Tensor other) => Compare(other, Cmp.Ne, "Ne");
    /// <summary>this &lt; other.</summary>
    public Tensor Lt(Tensor other) => Compare(other, Cmp.Lt, "Lt");
    /// <summary>this ≤ other.</summary>
    public Tensor Le(Tensor other) => Compare(other, Cmp.Le, "Le");
    /// <summary>this &gt; other.</summary>
    public Tensor Gt(Tensor other) => Compare(other, Cmp.Gt, "Gt");
    /// <summary>this ≥ other.</summary>
    public Tensor Ge(Tensor other) => Compare(other, Cmp.Ge, "Ge");
    /// <summary>this == scalar.</summary>
    public Tensor Eq(double s) => Compare(Scalar(s, DType), Cmp.Eq, "Eq");
    /// <summary>this != scalar.</summary>
    public Tensor Ne(double s) => Compare(Scalar(s, DType), Cmp.Ne, "Ne");
    /// <summary>this &lt; scalar.</summary>
    public Tensor Lt(double s) => Compare(Scalar(s, DType), Cmp.Lt, "Lt");
    /// <summary>this ≤ scalar.</summary>
    public Tensor Le(double s) => Compare(Scalar(s, DType), Cmp.Le, "Le");
    /// <summary>this &gt; scalar.</summary>
    public Tensor Gt(double s) => Compare(Scalar(s, DType), Cmp.Gt, "Gt");
    /// <summary>this ≥ scalar.</summary>
    public Tensor Ge(double s) => Compare(Scalar(s, DType), Cmp.Ge, "Ge");

    /// <summary>True where the value is NaN.</summary>
    public Tensor IsNaN() => Predicate(double.IsNaN);

    /// <summary>True where the value is +∞ or −∞.</summary>
    public Tensor IsInf() => Predicate(double.IsInfinity);

    /// <summary>True where the value is finite.</summary>
    public Tensor IsFinite() => Predicate(double.IsFinite);

    internal Tensor IsInfRaw() => IsInf();

    /// <summary>Number of true (non-zero) elements.</summary>
    public long CountNonZero()
    {
        var c = ContiguousRaw();
        long n = 0;
        for (int i = 0; i < NumEl; i++) if (c.GetAsDouble(c.Offset + i) != 0) n++;
        return n;
    }

    /// <summary>True when every element equals the other tensor's within rtol·|b| + atol (<c>torch.allclose</c>).</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        if (!ShapeUtil.SameShape(shape, other.shape)) return false;
        var a = ContiguousRaw();
        var b = other.ContiguousRaw();
        for (int i = 0; i < NumEl; i++)
        {
            double x = a.GetAsDouble(a.Offset + i), y = b.GetAsDouble(b.Offset + i);
            if (double.IsNaN(x) || double.IsNaN(y) || Math.Abs(x - y) > atol + rtol * Math.Abs(y)) return false;
        }
        return true;
    }

    private Tensor Predicate(Func<double, bool> test)
    {
        var src = ContiguousRaw();
        var result = Uninitialized(shape, DType.Bool);
        var r = result.Span<bool>();
        for (int i = 0; i < NumEl; i++) r[i] = test(src.GetAsDouble(src.Offset + i));
        return result;
    }

    private Tensor Compare(Tensor other, Cmp cmp, string op)
    {
        var outShape = ShapeUtil.Broadcast(op, shape, other.shape);
        var a = ExpandRaw(outShape).ContiguousRaw();
        var b = other.ExpandRaw(outShape).ContiguousRaw();
        var result = Uninitialized(outShape, DType.Bool);
        var r = result.Span<bool>();
        if (a.DType == DType.Int64 && b.DType == DType.Int64)
        {
            var x = a.Span<long>();
            var y = b.Span<long>();
            for (int i = 0; i < r.Length; i++) r[i] = Apply(x[i].CompareTo(y[i]), cmp, false);
            return result;
        }
        if (a.DType == DType.Float32 && b.DType == DType.Float32)
        {
            var x = a.Span<float>();
            var y = b.Span<float>();
            for (int i = 0; i < r.Length; i++) r[i] = Apply(x[i].CompareTo(y[i]), cmp, float.IsNaN(x[i]) || float.IsNaN(y[i]));
            return result;
        }
        for (int i = 0; i < r.Length; i++)
        {
            double x = a.GetAsDouble(a.Offset + i), y = b.GetAsDouble(b.Offset + i);
            r[i] = Apply(x.CompareTo(y), cmp, double.IsNaN(x) || double.IsNaN(y));
        }
        return result;
    }

    // IEEE semantics: every comparison with NaN is false except !=.
    private static bool Apply(int c, Cmp cmp, bool nan) => nan ? cmp == Cmp.Ne : cmp switch
    {
        Cmp.Eq => c == 0,
        Cmp.Ne => c != 0,
        Cmp.Lt => c < 0,
        Cmp.Le => c <= 0,
        Cmp.Gt => c > 0,
        _ => c >= 0,
    };

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> is true, without autograd.</summary>
    internal Tensor MaskedFillRaw(Tensor mask, double value)
    {
        var result = ExpandRaw(ShapeUtil.Broadcast("MaskedFill", shape, mask.shape)).CloneRaw();
        var m = mask.ExpandRaw(result.shape).ContiguousRaw().Span<bool>();
        for (int i = 0; i < m.Length; i++) if (m[i]) result.SetFromDouble(i, value);
        return result;
    }
}
