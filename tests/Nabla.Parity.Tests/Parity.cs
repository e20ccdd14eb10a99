using Nabla.Tests.Autograd;
using Nabla.Tests.TestSupport;
using TorchSharp;
using DType = Nabla.Tensors.DType;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests;

/// <summary>Runs the same float32 inputs through Nabla and TorchSharp, then compares the forward output and
/// every input gradient for one random upstream gradient.</summary>
/// <example><code>Parity.Assert([[4, 10]], x => x[0].Softmax(-1), x => x[0].softmax(-1));</code></example>
internal static class Parity
{
    /// <summary>Default tolerance: |nabla − torch| ≤ tol·max(1, |torch|), a few float32 ulps of the typical value.</summary>
    public const double Float32Tolerance = 2e-5;

    /// <summary>Compares on inputs of the given shapes drawn from U(−2, 2).</summary>
    public static void Assert(int[][] shapes, Func<NablaTensor[], NablaTensor> nabla, Func<torch.Tensor[], torch.Tensor> oracle,
        double tolerance = Float32Tolerance, int seed = 7)
    {
        var op = new OpCase("adhoc", shapes, nabla, _ => RefArray.Scalar(0));
        Assert(op, oracle, tolerance, seed);
    }

    /// <summary>Compares an op of the table with its TorchSharp twin, on the case's own shapes and input domains.</summary>
    public static void Assert(OpCase op, Func<torch.Tensor[], torch.Tensor> oracle, double tolerance = Float32Tolerance, int seed = 7)
    {
        using var scope = torch.NewDisposeScope();
        var n = op.MakeInputs(seed, DType.Float32);
        var t = n.Select(x => TorchOracle.Tensor(x.ToArray<float>(), [.. x.Shape.Select(d => (long)d)], requiresGrad: true)).ToArray();

        var yn = op.Function(n);
        var yt = oracle(t);

        Xunit.Assert.Equal(yt.shape.Select(d => (int)d), yn.Shape);
        Close(Doubles(yt), OpCase.ToRef(yn).Data, tolerance, $"{op.Name}: forward");

        // One upstream gradient for both, in each output's dtype.
        var rng = new Random(99);
        var v = Enumerable.Range(0, yn.NumEl).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        yn.Backward(OpCase.MakeTensor(v, [.. yn.Shape], yn.DType));
        yt.backward([torch.tensor(v, yt.shape, dtype: torch.float64).to(yt.dtype)]);

        for (int i = 0; i < n.Length; i++)
        {
            var gt = t[i].grad is { } g ? Doubles(g) : new double[n[i].NumEl];
            var gn = n[i].Grad is { } h ? OpCase.ToRef(h).Data : new double[n[i].NumEl];
            Close(gt, gn, tolerance, $"{op.Name}: gradient of input {i}");
        }
    }

    /// <summary>Any TorchSharp tensor's values as doubles, row-major.</summary>
    public static double[] Doubles(torch.Tensor t)
    {
        if (t.numel() == 0) return [];   // TorchSharp's accessor cannot copy out of an empty tensor
        using var c = t.detach().to(torch.float64).contiguous();
        return c.data<double>().ToArray();
    }

    /// <summary>|actual − expected| ≤ tolerance·max(1, |expected|) element by element.</summary>
    public static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]) && double.IsNaN(actual[i])) continue;
            Xunit.Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: torch {expected[i]:R}, nabla {actual[i]:R}");
        }
    }
}
