using Nabla.Kernels.Elementwise;
using Nabla.Tensors;

namespace Nabla.Tests.Kernels.Elementwise;

/// <summary>tanh near zero, where the exponential form that TensorPrimitives uses cancels: against Math.Tanh over
/// magnitudes from 1e-30 to 20, in both precisions, in place and out of place, and through the op and the LSTM.</summary>
public sealed class AccurateTanhTests
{
    private static double[] Magnitudes()
    {
        var values = new List<double>();
        for (int e = -30; e <= 1; e++)
            foreach (double m in new[] { 1.0, 2.5, 5.0, 7.5 }) values.Add(m * Math.Pow(10, e));
        values.AddRange([0.0499, 0.05, 0.0501, 12, 20]);
        return [.. values.SelectMany(v => new[] { v, -v }), 0.0];
    }

    [Fact]
    public void Float32_is_within_two_ulps_near_zero_and_1e6_relative_elsewhere()
    {
        float[] x = [.. Magnitudes().Select(v => (float)v)];
        var y = new float[x.Length];
        AccurateTanh.Apply<float>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Tanh(x[i]);
            // The series region is exact to rounding; beyond it TensorPrimitives' few-ulp accuracy (2.3e-7 at 0.1) remains.
            double ulp = MathF.BitIncrement(Math.Abs((float)exact)) - Math.Abs((float)exact);
            double tolerance = Math.Abs(x[i]) < AccurateTanh.SeriesLimit ? 2 * ulp : 1e-6 * Math.Abs(exact);
            Assert.True(Math.Abs(y[i] - exact) <= tolerance, $"tanh({x[i]:R}) = {y[i]:R}, exact {exact:R}");
            Assert.Equal(Math.Sign(exact), Math.Sign(y[i]));
        }
    }

    [Fact]
    public void Float64_is_within_1e15_relative_and_small_inputs_keep_tanh_x_equal_to_x()
    {
        double[] x = Magnitudes();
        var y = new double[x.Length];
        AccurateTanh.Apply<double>(x, y);
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(y[i] - Math.Tanh(x[i])) <= 1e-15 * Math.Max(Math.Abs(Math.Tanh(x[i])), double.Epsilon),
                $"tanh({x[i]:R}) = {y[i]:R}, exact {Math.Tanh(x[i]):R}");
        Assert.Equal(1e-20, y[Array.IndexOf(x, 1e-20)]);
    }

    [Fact]
    public void In_place_equals_out_of_place_across_block_boundaries()
    {
        var random = new Random(5);
        float[] x = [.. Enumerable.Range(0, 1000).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 2))))];
        var outOfPlace = new float[x.Length];
        AccurateTanh.Apply<float>(x, outOfPlace);
        float[] inPlace = [.. x];
        AccurateTanh.Apply<float>(inPlace, inPlace);
        Assert.Equal(outOfPlace, inPlace);
    }

    [Fact]
    public void The_tensor_op_and_the_lstm_cell_use_it()
    {
        var y = Tensor.FromArray([1e-20f, -1e-8f, 1e-5f]).Tanh().ToArray<float>();
        Assert.Equal([1e-20f, -1e-8f, (float)Math.Tanh(1e-5)], y);

        // One LSTM step from zero state with zero weights except a tiny input projection: h = o·tanh(c), c = i·g with
        // g = tanh(1e-6·x), so h must be 0.5·tanh(0.5·tanh(1e-6)) ≈ 2.5e-7, positive.
        var lstm = new Nabla.NN.LSTM(1, 1);
        using (Tensor.NoGrad())
        {
            foreach (var p in lstm.Parameters()) p.Zero_();
            lstm.Parameters().First().Fill_(1e-6);   // weight_ih_l0 [4, 1]
        }
        var (output, _) = lstm.Forward(Tensor.Ones([1, 1, 1]));
        double expected = 0.5 * Math.Tanh(0.5 * Math.Tanh(1e-6));
        Assert.Equal(expected, output.ToArray<float>()[0], 1e-12);
    }
}
