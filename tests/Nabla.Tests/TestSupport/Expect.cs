using Nabla.Tensors;

namespace Nabla.Tests.TestSupport;

/// <summary>Element-wise comparisons with tolerances that report the first offending element.</summary>
public static class Expect
{
    /// <summary>Asserts equal shapes and |actual − expected| ≤ atol + rtol·|expected| for every element.</summary>
    public static void Close(RefArray expected, RefArray actual, double rtol, double atol, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}].");
        for (int i = 0; i < expected.Data.Length; i++)
        {
            double e = expected.Data[i], a = actual.Data[i];
            if (double.IsNaN(e) && double.IsNaN(a)) continue;
            if (e == a) continue;   // equal infinities
            Assert.True(Math.Abs(a - e) <= atol + rtol * Math.Abs(e),
                $"{what}: element {i} [{string.Join(", ", RefArray.Unflat(expected.Shape, i))}] is {a:R}, expected {e:R} (|error| {Math.Abs(a - e):G3}).");
        }
    }

    /// <summary>Asserts a tensor's shape and values (read as double) against a row-major array.</summary>
    public static void Values(Tensor actual, int[] shape, double[] expected, double tolerance = 0)
    {
        Assert.Equal(shape, actual.Shape);
        var values = Read(actual);
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(values[i] - expected[i]) <= tolerance || values[i].Equals(expected[i]),
                $"element {i}: {values[i]:R}, expected {expected[i]:R}.");
    }

    /// <summary>The elements of any tensor as doubles, row-major.</summary>
    public static double[] Read(Tensor t)
    {
        var values = new double[t.NumEl];
        for (int i = 0; i < values.Length; i++) values[i] = t.Dim == 0 ? t.Item() : t[RefArray.Unflat([.. t.Shape], i)];
        return values;
    }
}
