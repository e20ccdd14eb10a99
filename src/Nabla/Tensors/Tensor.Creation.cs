namespace Nabla.Tensors;

// Factory functions (torch.zeros, torch.arange, torch.randn, torch.tensor, …).
public partial class Tensor
{
    /// <summary>A tensor of zeros (<c>torch.zeros</c>).</summary>
    public static Tensor Zeros(ReadOnlySpan<int> shape, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        CheckShape("Zeros", shape);
        var t = Uninitialized(shape, dtype);
        t.FillRaw(0);
        return t.RequiresGrad_(requiresGrad);
    }

    /// <summary>A tensor of ones (<c>torch.ones</c>).</summary>
    public static Tensor Ones(ReadOnlySpan<int> shape, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Full(shape, 1, dtype, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/> (<c>torch.full</c>).</summary>
    public static Tensor Full(ReadOnlySpan<int> shape, double value, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        CheckShape("Full", shape);
        var t = Uninitialized(shape, dtype);
        t.FillRaw(value);
        return t.RequiresGrad_(requiresGrad);
    }

    /// <summary>An uninitialized tensor (<c>torch.empty</c>): contents are whatever the pooled buffer held.</summary>
    public static Tensor Empty(ReadOnlySpan<int> shape, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        CheckShape("Empty", shape);
        return Uninitialized(shape, dtype).RequiresGrad_(requiresGrad);
    }

    /// <summary>Zeros shaped like <paramref name="other"/> (<c>torch.zeros_like</c>).</summary>
    public static Tensor ZerosLike(Tensor other) => Zeros(other.shape, other.DType);

    /// <summary>Ones shaped like <paramref name="other"/> (<c>torch.ones_like</c>).</summary>
    public static Tensor OnesLike(Tensor other) => Ones(other.shape, other.DType);

    /// <summary>A 0-dimensional tensor holding one value (<c>torch.tensor(3.0)</c>).</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full([], value, dtype);

    /// <summary>Values start, start+step, … below end (<c>torch.arange</c>). Float32 unless <paramref name="dtype"/> says otherwise.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32)
    {
        if (step == 0) Throw.Argument("Arange: step must be non-zero.", nameof(step));
        if ((end - start) / step < 0) Throw.Argument($"Arange: range [{start}, {end}) with step {step} goes the wrong way.");
        int n = (int)Math.Ceiling((end - start) / step);
        var t = Uninitialized([n], dtype);
        for (int i = 0; i < n; i++) t.SetFromDouble(i, start + i * step);
        return t;
    }

    /// <summary>Integers 0 … end−1 (<c>torch.arange(end)</c>), int64.</summary>
    public static Tensor Arange(int end) => Arange(0, end, 1, DType.Int64);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive (<c>torch.linspace</c>).</summary>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var t = Uninitialized([steps], dtype);
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // Like PyTorch, fill the second half from the end so the last value is exactly `end`; one step is `start`.
        int half = steps == 1 ? 1 : steps / 2;
        for (int i = 0; i < steps; i++)
            t.SetFromDouble(i, i < half ? start + step * i : end - step * (steps - 1 - i));
        return t;
    }

    /// <summary>The n×m identity (<c>torch.eye</c>).</summary>
    public static Tensor Eye(int n, int? m = null, DType dtype = DType.Float32)
    {
        int cols = m ?? n;
        var t = Zeros([n, cols], dtype);
        for (int i = 0; i < Math.Min(n, cols); i++) t.SetFromDouble(i * cols + i, 1);
        return t;
    }

    /// <summary>Uniform samples in [0, 1) (<c>torch.rand</c>).</summary>
    public static Tensor Rand(ReadOnlySpan<int> shape, DType dtype = DType.Float32, Generator? generator = null, bool requiresGrad = false)
    {
        CheckFloat("Rand", dtype);
        var g = generator ?? Generator.Default;
        var t = Uninitialized(shape, dtype);
        if (dtype == DType.Float32) { var s = t.Span<float>(); for (int i = 0; i < s.Length; i++) s[i] = g.NextSingle(); }
        else { var s = t.Span<double>(); for (int i = 0; i < s.Length; i++) s[i] = g.NextDouble(); }
        return t.RequiresGrad_(requiresGrad);
    }

    /// <summary>Standard normal samples (<c>torch.randn</c>).</summary>
    public static Tensor Randn(ReadOnlySpan<int> shape, DType dtype = DType.Float32, Generator? generator = null, bool requiresGrad = false)
    {
        CheckFloat("Randn", dtype);
        var g = generator ?? Generator.Default;
        var t = Uninitialized(shape, dtype);
        if (dtype == DType.Float32) { var s = t.Span<float>(); for (int i = 0; i < s.Length; i++) s[i] = (float)g.NextNormal(); }
        else { var s = t.Span<double>(); for (int i = 0; i < s.Length; i++) s[i] = g.NextNormal(); }
        return t.RequiresGrad_(requiresGrad);
    }

    /// <summary>Uniform integers in [low, high) (<c>torch.randint</c>), int64 by default.</summary>
    public static Tensor RandInt(long low, long high, ReadOnlySpan<int> shape, DType dtype = DType.Int64, Generator? generator = null)
    {
        if (high <= low) Throw.Argument($"RandInt: high ({high}) must be greater than low ({low}).");
        var g = generator ?? Generator.Default;
        var t = Uninitialized(shape, dtype);
        for (int i = 0; i < t.NumEl; i++) t.SetFromDouble(i, low + g.NextInt64(high - low));
        return t;
    }

    /// <summary>A random permutation of 0 … n−1 (<c>torch.randperm</c>), int64.</summary>
    public static Tensor RandPerm(int n, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        var t = Arange(n);
        var s = t.Span<long>();
        for (int i = n - 1; i > 0; i--)   // Fisher–Yates
        {
            int j = (int)g.NextInt64(i + 1);
            (s[i], s[j]) = (s[j], s[i]);
        }
        return t;
    }

    /// <summary>A tensor copied from <paramref name="data"/>, shaped <paramref name="shape"/> (1-D if omitted) (<c>torch.tensor</c>).</summary>
    public static Tensor FromArray<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape = default, bool requiresGrad = false) where T : unmanaged
    {
        int[] s = shape.IsEmpty && data.Length != 1 ? [data.Length] : shape.ToArray();
        if (shape.IsEmpty && data.Length == 1) s = [1];
        if (ShapeUtil.NumEl(s) != data.Length)
            Throw.Shape("FromArray", ShapeUtil.Format(s), $"{data.Length} values",
                $"FromArray: shape {ShapeUtil.Format(s)} needs {ShapeUtil.NumEl(s)} values but {data.Length} were given.");
        var t = Uninitialized(s, DTypeOf<T>());
        data.CopyTo(t.Span<T>());
        return t.RequiresGrad_(requiresGrad);
    }

    /// <summary>A float32 tensor from a 2-D array (rows × columns).</summary>
    public static Tensor FromArray(float[,] data)
    {
        var t = Uninitialized([data.GetLength(0), data.GetLength(1)], DType.Float32);
        var s = t.Span<float>();
        int k = 0;
        foreach (float v in data) s[k++] = v;
        return t;
    }

    /// <summary>Wraps an existing array without copying; the tensor and the array share memory (<c>torch.from_numpy</c>).</summary>
    public static Tensor Wrap<T>(T[] data, ReadOnlySpan<int> shape) where T : unmanaged
    {
        var s = shape.ToArray();
        if (ShapeUtil.NumEl(s) != data.Length)
            Throw.Shape("Wrap", ShapeUtil.Format(s), $"{data.Length} values",
                $"Wrap: shape {ShapeUtil.Format(s)} needs {ShapeUtil.NumEl(s)} values but the array has {data.Length}.");
        return new Tensor(new Storage<T>(DTypeOf<T>(), data), s);
    }

    private static void CheckShape(string op, ReadOnlySpan<int> shape)
    {
        foreach (int d in shape)
            if (d < 0) Throw.Argument($"{op}: shape {ShapeUtil.Format(shape)} has a negative dimension.");
    }

    private static void CheckFloat(string op, DType dtype)
    {
        if (!dtype.IsFloatingPoint()) Throw.DType(op, dtype, "float32 or float64");
    }

    /// <summary>Writes <paramref name="value"/> at a storage index of a contiguous tensor, converting to its dtype.</summary>
    internal void SetFromDouble(int index, double value)
    {
        int i = Offset + index;
        switch (Storage)
        {
            case Storage<float> s: s.Array[i] = (float)value; break;
            case Storage<double> s: s.Array[i] = value; break;
            case Storage<long> s: s.Array[i] = (long)value; break;
            case Storage<int> s: s.Array[i] = (int)value; break;
            case Storage<bool> s: s.Array[i] = value != 0; break;
            case Storage<Complex64> s: s.Array[i] = new Complex64((float)value, 0); break;
        }
    }

    /// <summary>Fills every element (strided) with a value, without autograd or version bump.</summary>
    internal void FillRaw(double value)
    {
        if (IsContiguous)
        {
            switch (Storage)
            {
                case Storage<float>: Span<float>().Fill((float)value); break;
                case Storage<double>: Span<double>().Fill(value); break;
                case Storage<long>: Span<long>().Fill((long)value); break;
                case Storage<int>: Span<int>().Fill((int)value); break;
                case Storage<bool>: Span<bool>().Fill(value != 0); break;
                case Storage<Complex64>: Span<Complex64>().Fill(new Complex64((float)value, 0)); break;
            }
            return;
        }
        var tmp = Full(shape, value, DType);
        CopyFromRaw(tmp);
    }
}
