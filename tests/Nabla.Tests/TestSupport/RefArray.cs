namespace Nabla.Tests.TestSupport;

/// <summary>A plain row-major array of doubles with a shape: the independent reference that op results are
/// checked against. Every operation here is written element by element from its definition, without Nabla.</summary>
public sealed class RefArray
{
    /// <summary>Creates the array; <paramref name="data"/> is row-major and must hold Π shape values.</summary>
    public RefArray(double[] data, int[] shape)
    {
        if (Count(shape) != data.Length)
            throw new ArgumentException($"RefArray: shape [{string.Join(", ", shape)}] needs {Count(shape)} values, got {data.Length}.");
        Data = data;
        Shape = shape;
    }

    /// <summary>The values, row-major.</summary>
    public double[] Data { get; }

    /// <summary>The size of each dimension.</summary>
    public int[] Shape { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>A 0-d array.</summary>
    public static RefArray Scalar(double value) => new([value], []);

    /// <summary>Π shape (1 for a 0-d shape).</summary>
    public static int Count(int[] shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    /// <summary>The element at a multi-index.</summary>
    public double At(int[] index) => Data[Flat(Shape, index)];

    /// <summary>Row-major flat position of <paramref name="index"/> in <paramref name="shape"/>.</summary>
    public static int Flat(int[] shape, int[] index)
    {
        int f = 0;
        for (int d = 0; d < shape.Length; d++) f = f * shape[d] + index[d];
        return f;
    }

    /// <summary>The multi-index of row-major position <paramref name="flat"/> in <paramref name="shape"/>.</summary>
    public static int[] Unflat(int[] shape, int flat)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    private static int Wrap(int dim, int rank) => dim < 0 ? dim + rank : dim;

    /// <summary>y = f(x) for every element.</summary>
    public RefArray Map(Func<double, double> f) => new(Array.ConvertAll(Data, x => f(x)), Shape);

    /// <summary>NumPy broadcasting of two shapes: trailing dims aligned; each pair equal or one of them 1.</summary>
    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1) throw new ArgumentException("RefArray: shapes do not broadcast.");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>The element of this array that broadcasting maps to <paramref name="index"/> of a larger shape.</summary>
    public double Broadcast(int[] index)
    {
        int lead = index.Length - Rank;
        var own = new int[Rank];
        for (int d = 0; d < Rank; d++) own[d] = Shape[d] == 1 ? 0 : index[lead + d];
        return At(own);
    }

    /// <summary>c = f(a, b) with broadcasting.</summary>
    public static RefArray Zip(RefArray a, RefArray b, Func<double, double, double> f)
    {
        var shape = BroadcastShape(a.Shape, b.Shape);
        var data = new double[Count(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            var index = Unflat(shape, i);
            data[i] = f(a.Broadcast(index), b.Broadcast(index));
        }
        return new RefArray(data, shape);
    }

    /// <summary>This array broadcast to <paramref name="shape"/> (a copy).</summary>
    public RefArray Expand(int[] shape)
    {
        var data = new double[Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = Broadcast(Unflat(shape, i));
        return new RefArray(data, shape);
    }

    /// <summary>Reduces the listed dims (all when empty) with <paramref name="f"/> over the values of each group.</summary>
    public RefArray Reduce(int[] dims, bool keepDim, Func<double[], double> f)
    {
        var reduced = new bool[Rank];
        if (dims.Length == 0) Array.Fill(reduced, true);
        foreach (int d in dims) reduced[Wrap(d, Rank)] = true;
        var keptShape = new int[Rank];
        for (int d = 0; d < Rank; d++) keptShape[d] = reduced[d] ? 1 : Shape[d];
        var groups = new List<double>[Count(keptShape)];
        for (int g = 0; g < groups.Length; g++) groups[g] = [];
        for (int i = 0; i < Data.Length; i++)
        {
            var index = Unflat(Shape, i);
            for (int d = 0; d < Rank; d++) if (reduced[d]) index[d] = 0;
            groups[Flat(keptShape, index)].Add(Data[i]);
        }
        var outShape = keepDim ? keptShape : keptShape.Where((_, d) => !reduced[d]).ToArray();
        return new RefArray(groups.Select(g => f([.. g])).ToArray(), outShape);
    }

    /// <summary>Applies a vector function to every 1-D line along <paramref name="dim"/> (softmax, log-softmax).</summary>
    public RefArray AlongDim(int dim, Func<double[], double[]> f)
    {
        if (Rank == 0) return new RefArray(f([Data[0]]), []);
        int d = Wrap(dim, Rank);
        var result = new double[Data.Length];
        int n = Shape[d];
        for (int i = 0; i < Data.Length; i++)
        {
            var index = Unflat(Shape, i);
            if (index[d] != 0) continue;
            var line = new double[n];
            for (int j = 0; j < n; j++) { index[d] = j; line[j] = At(index); }
            var mapped = f(line);
            for (int j = 0; j < n; j++) { index[d] = j; result[Flat(Shape, index)] = mapped[j]; }
        }
        return new RefArray(result, Shape);
    }

    /// <summary>The same values in row-major order under a new shape.</summary>
    public RefArray Reshape(params int[] shape) => new(Data, shape);

    /// <summary>y[i₀…] = x[i at perm]: y.shape[k] = x.shape[perm[k]].</summary>
    public RefArray Permute(params int[] perm)
    {
        var shape = perm.Select(p => Shape[Wrap(p, Rank)]).ToArray();
        var data = new double[Data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            var outIndex = Unflat(shape, i);
            var inIndex = new int[Rank];
            for (int k = 0; k < Rank; k++) inIndex[Wrap(perm[k], Rank)] = outIndex[k];
            data[i] = At(inIndex);
        }
        return new RefArray(data, shape);
    }

    /// <summary>Swaps two dims.</summary>
    public RefArray Transpose(int d0, int d1)
    {
        var perm = Enumerable.Range(0, Rank).ToArray();
        (perm[Wrap(d0, Rank)], perm[Wrap(d1, Rank)]) = (perm[Wrap(d1, Rank)], perm[Wrap(d0, Rank)]);
        return Permute(perm);
    }

    /// <summary>Elements start, start+step, … below end along <paramref name="dim"/> (bounds already non-negative).</summary>
    public RefArray Slice(int dim, int start, int end, int step)
    {
        int d = Wrap(dim, Rank);
        var picked = new List<int>();
        for (int j = start; j < end; j += step) picked.Add(j);
        var shape = (int[])Shape.Clone();
        shape[d] = picked.Count;
        var data = new double[Count(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            var index = Unflat(shape, i);
            index[d] = picked[index[d]];
            data[i] = At(index);
        }
        return new RefArray(data, shape);
    }

    /// <summary>x[..., index, ...]: the slice at <paramref name="index"/> with the dim removed.</summary>
    public RefArray Select(int dim, int index)
    {
        int d = Wrap(dim, Rank);
        var s = Slice(d, index, index + 1, 1);
        return s.Reshape(Shape.Where((_, k) => k != d).ToArray());
    }

    /// <summary>torch.matmul: 1-D operands promoted (row vector on the left, column on the right), batch dims broadcast.</summary>
    public static RefArray MatMul(RefArray a, RefArray b)
    {
        var a2 = a.Rank == 1 ? a.Reshape(1, a.Shape[0]) : a;
        var b2 = b.Rank == 1 ? b.Reshape(b.Shape[0], 1) : b;
        int m = a2.Shape[^2], k = a2.Shape[^1], n = b2.Shape[^1];
        if (b2.Shape[^2] != k) throw new ArgumentException("RefArray.MatMul: inner dimensions differ.");
        var batch = BroadcastShape(a2.Shape[..^2], b2.Shape[..^2]);
        var outShape = batch.Concat([m, n]).ToArray();
        var data = new double[Count(outShape)];
        for (int f = 0; f < data.Length; f++)
        {
            var index = Unflat(outShape, f);
            int i = index[^2], j = index[^1];
            double s = 0;
            for (int p = 0; p < k; p++)
            {
                index[^2] = i; index[^1] = p;
                double x = a2.Broadcast(index);
                index[^2] = p; index[^1] = j;
                s += x * b2.Broadcast(index);
            }
            data[f] = s;
        }
        var result = new RefArray(data, outShape);
        var finalShape = outShape.ToList();
        if (b.Rank == 1) finalShape.RemoveAt(finalShape.Count - 1);
        if (a.Rank == 1) finalShape.RemoveAt(finalShape.Count - (b.Rank == 1 ? 1 : 2));
        return result.Reshape([.. finalShape]);
    }

    /// <summary>y = x·Wᵀ + b over the last dim of x.</summary>
    public static RefArray Linear(RefArray x, RefArray w, RefArray? bias)
    {
        var y = MatMul(x, w.Transpose(0, 1));
        return bias is null ? y : Zip(y, bias, (u, v) => u + v);
    }
}
