namespace Nabla.Tensors;

/// <summary>Shape arithmetic: element counts, contiguous strides, broadcasting, dimension wrapping.</summary>
internal static class ShapeUtil
{
    public static int NumEl(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            n *= d;
            if (n > int.MaxValue) Throw.Argument($"shape {Format(shape)} has more than {int.MaxValue} elements.");
        }
        return (int)n;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        // An empty tensor has no elements to lay out: contiguous whatever its strides (as in PyTorch).
        if (shape.Contains(0)) return true;
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /// <summary>Wraps a possibly negative dimension (−1 is the last) and checks its range.</summary>
    public static int WrapDim(string op, int dim, int rank)
    {
        int r = Math.Max(rank, 1);
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r)
            Throw.OutOfRange($"{op}: dimension {dim} is out of range for a tensor of rank {rank} (expected {-r}..{r - 1}).", nameof(dim));
        return d;
    }

    /// <summary>NumPy/PyTorch broadcasting: align trailing dimensions; each pair must be equal or contain 1.</summary>
    public static int[] Broadcast(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                Throw.Shape(op, Format(a), Format(b),
                    $"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast (dimension {i}: {da} vs {db}; each pair must be equal or 1).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Strides that read a tensor of <paramref name="shape"/>/<paramref name="strides"/> as if it had
    /// <paramref name="target"/> shape: broadcast dimensions get stride 0.</summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        int lead = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            result[lead + i] = shape[i] == 1 && target[lead + i] != 1 ? 0 : strides[i];
        return result;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
