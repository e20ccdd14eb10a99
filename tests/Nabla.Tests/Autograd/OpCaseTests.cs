using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tensors;
using Nabla.Tests.TestSupport;

namespace Nabla.Tests.Autograd;

/// <summary>Checks every op of <see cref="OpCases"/>: forward against the double reference, backward against
/// finite differences, float32 against float64, the scalar kernels against the SIMD ones, and shape errors.</summary>
public sealed class OpCaseTests
{
    private const int Seed = 7;

    [Theory, MemberData(nameof(OpCases.All), MemberType = typeof(OpCases))]
    public void Forward_MatchesDoubleReference(OpCase op)
    {
        var inputs = op.MakeInputs(Seed, DType.Float64);
        var expected = op.Reference([.. inputs.Select(OpCase.ToRef)]);

        var y = op.Function(inputs);

        // A float32 result (To(Float32)) can only agree to float32 rounding.
        bool f32 = y.DType == DType.Float32;
        Expect.Close(expected, OpCase.ToRef(y), rtol: f32 ? 1e-7 : 1e-10, atol: f32 ? 1e-7 : 1e-12, $"{op.Name} forward");
    }

    [Theory, MemberData(nameof(OpCases.GradCheckable), MemberType = typeof(OpCases))]
    public void Backward_MatchesFiniteDifferences(OpCase op) =>
        GradCheck.Assert(op.Function, op.MakeInputs(Seed, DType.Float64));

    [Theory, MemberData(nameof(OpCases.All), MemberType = typeof(OpCases))]
    public void Backward_GivesEachInputAGradientOfItsShapeAndDType(OpCase op)
    {
        var inputs = op.MakeInputs(Seed, DType.Float64);
        var y = op.Function(inputs);

        y.Backward(Upstream(y));

        foreach (var x in inputs)
        {
            if (x.Grad is null) continue;   // an input the output does not depend on (ExpandAs's shape donor)
            Assert.Equal(x.Shape, x.Grad.Shape);
            Assert.Equal(x.DType, x.Grad.DType);
        }
    }

    [Theory, MemberData(nameof(OpCases.All), MemberType = typeof(OpCases))]
    public void Float32_AgreesWithFloat64(OpCase op)
    {
        var (y64, g64) = ForwardBackward(op, DType.Float64);
        var (y32, g32) = ForwardBackward(op, DType.Float32);

        double tol = op.Float32Tolerance;
        Expect.Close(y64, y32, tol, tol, $"{op.Name} float32 forward");
        for (int i = 0; i < g64.Length; i++)
            Expect.Close(g64[i], g32[i], tol, tol, $"{op.Name} float32 gradient of input {i}");
    }

    [Theory, MemberData(nameof(OpCases.WithSimdPath), MemberType = typeof(OpCases))]
    public void SimdAndParallelPaths_AgreeWithScalar(OpCase op)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var (yRef, gRef) = ForwardBackward(op, dtype, SimdLevel.Scalar, threads: 1);
            // Different summation orders and FMA round differently; a wrong kernel is off by O(1).
            double tol = dtype == DType.Float32 ? 2e-5 : 1e-12;
            foreach (var (level, threads, parallel) in new[] { (SimdLevel.Avx2, 1, false), (SimdLevel.Avx512, 1, false), (SimdLevel.Avx512, 2, true) })
            {
                var (y, g) = ForwardBackward(op, dtype, level, threads, parallel);
                string what = $"{op.Name} {dtype} {level} threads {threads}{(parallel ? " forced parallel" : "")}";
                Expect.Close(yRef, y, tol, tol, $"{what} forward");
                for (int i = 0; i < g.Length; i++) Expect.Close(gRef[i], g[i], tol, tol, $"{what} gradient of input {i}");
            }
        }
    }

    [Theory, MemberData(nameof(OpCases.WithShapeError), MemberType = typeof(OpCases))]
    public void BadShapes_ThrowShapeMismatchNamingTheShapes(OpCase op)
    {
        var bad = op.ShapeError!;   // WithShapeError lists only cases that have one
        var inputs = bad.Shapes.Select((s, i) => OpCase.MakeTensor(new double[RefArray.Count(s)], s, DType.Float32)).ToArray();

        var e = Assert.Throws<ShapeMismatchException>(() => op.Function(inputs));

        Assert.Equal(bad.Message, e.Message);
        Assert.Equal(op.Op, e.Op);
    }

    [Fact]
    public void OpCases_NamesAreUnique() =>
        Assert.Empty(OpCases.List.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key));

    [Fact]
    public void OpCases_CoverEveryCoreDifferentiableOp()
    {
        string[] required =
        [
            "Add", "Sub", "RSub", "Mul", "Div", "Pow", "Square", "Maximum", "Minimum", "Neg", "Exp", "Log", "Sqrt", "Abs", "Sin", "Cos",
            "Clamp", "Relu", "LeakyRelu", "Elu", "Gelu", "Sigmoid", "Tanh", "Softplus", "Sum", "Mean", "Max", "Min", "Var", "Std",
            "LogSumExp", "MatMul", "Linear", "Softmax", "LogSoftmax", "View", "Reshape", "Flatten", "Unflatten", "Squeeze",
            "Unsqueeze", "Transpose", "T", "Permute", "Expand", "ExpandAs", "Narrow", "Slice", "Select", "Contiguous", "Clone", "To",
        ];
        var covered = OpCases.List.Select(c => c.Op).ToHashSet();
        var missing = required.Where(op => !covered.Contains(op)).ToList();
        Assert.True(missing.Count == 0, $"ops without an OpCase: {string.Join(", ", missing)}");
    }

    // ---- Semantics at the points the table avoids: kinks and ties, where PyTorch picks a subgradient. ----

    [Fact]
    public void Maximum_SplitsTheGradientEquallyOnTies()
    {
        var a = Tensor.FromArray<double>([1, 2, 5], requiresGrad: true);
        var b = Tensor.FromArray<double>([1, 3, 4], requiresGrad: true);

        a.Maximum(b).Sum().Backward();

        Expect.Values(a.Grad!, [3], [0.5, 0, 1]);
        Expect.Values(b.Grad!, [3], [0.5, 1, 0]);
    }

    [Fact]
    public void Minimum_SplitsTheGradientEquallyOnTies()
    {
        var a = Tensor.FromArray<double>([1, 2, 5], requiresGrad: true);
        var b = Tensor.FromArray<double>([1, 3, 4], requiresGrad: true);

        a.Minimum(b).Sum().Backward();

        Expect.Values(a.Grad!, [3], [0.5, 1, 0]);
        Expect.Values(b.Grad!, [3], [0.5, 0, 1]);
    }

    [Fact]
    public void AbsAndRelu_HaveZeroGradientAtZero()
    {
        var x = Tensor.FromArray<double>([-1, 0, 2], requiresGrad: true);

        (x.Abs() + x.Relu()).Sum().Backward();

        // d|x|/dx = sign(x) = [-1, 0, 1];  d relu/dx = [0, 0, 1]
        Expect.Values(x.Grad!, [3], [-1, 0, 2]);
    }

    [Fact]
    public void LeakyRelu_AtZeroUsesTheNegativeSlope()
    {
        var x = Tensor.FromArray<double>([0], requiresGrad: true);

        x.LeakyRelu(0.2).Sum().Backward();

        Expect.Values(x.Grad!, [1], [0.2]);
    }

    [Fact]
    public void Clamp_PassesTheGradientAtTheBoundsAndBlocksItOutside()
    {
        var x = Tensor.FromArray<double>([-2, -1, 0, 1, 2], requiresGrad: true);

        x.Clamp(-1, 1).Sum().Backward();

        Expect.Values(x.Grad!, [5], [0, 1, 1, 1, 0]);
    }

    [Fact]
    public void MaxOverDim_GivesTheGradientToTheFirstMaximumOnTies()
    {
        var x = Tensor.FromArray<double>([1, 3, 3, 2], [1, 4], requiresGrad: true);

        var (values, indices) = x.Max(1);
        values.Sum().Backward();

        Assert.Equal(1L, indices.ToArray<long>()[0]);
        Expect.Values(x.Grad!, [1, 4], [0, 1, 0, 0]);
    }

    [Fact]
    public void MaxOverAllElements_SplitsTheGradientAmongTies()
    {
        var x = Tensor.FromArray<double>([1, 3, 3], requiresGrad: true);

        x.Max().Backward();

        Expect.Values(x.Grad!, [3], [0, 0.5, 0.5]);
    }

    [Fact]
    public void Softplus_AboveTheThresholdIsTheIdentityWithUnitGradient()
    {
        var x = Tensor.FromArray<double>([25, 30], requiresGrad: true);

        var y = x.Softplus();
        y.Sum().Backward();

        Expect.Values(y, [2], [25, 30]);
        Expect.Values(x.Grad!, [2], [1, 1]);
    }

    [Fact]
    public void ToFloat32_BackwardConvertsTheGradientBackToFloat64()
    {
        var x = Tensor.FromArray<double>([1, 2, 3], requiresGrad: true);

        x.To(DType.Float32).Mul(Tensor.FromArray<float>([2f, 3f, 4f])).Sum().Backward();

        Assert.Equal(DType.Float64, x.Grad!.DType);
        Expect.Values(x.Grad, [3], [2, 3, 4]);
    }

    [Fact]
    public void Gelu_RejectsAnUnknownApproximation()
    {
        var e = Assert.ThrowsAny<Exception>(() => Tensor.Zeros([2]).Gelu("erf"));

        Assert.Equal("Gelu: approximate must be \"none\" or \"tanh\"; got \"erf\".", e.Message);
    }

    [Fact]
    public void LogSumExp_IsStableForLargeValues()
    {
        var x = Tensor.FromArray<float>([1000, 1000, -1000], [1, 3], requiresGrad: true);

        var y = x.LogSumExp(1);
        y.Sum().Backward();

        Assert.Equal(1000 + Math.Log(2), y.Item(), 3);
        Expect.Values(x.Grad!, [1, 3], [0.5, 0.5, 0], 1e-7);
    }

    [Fact]
    public void LogSumExp_OfARowOfMinusInfinity_IsMinusInfinity()
    {
        var y = Tensor.Full([2, 3], double.NegativeInfinity).LogSumExp(1);

        Assert.All(Expect.Read(y), v => Assert.Equal(double.NegativeInfinity, v));
    }

    [Fact]
    public void SoftmaxAndLogSoftmax_AreStableForLargeValues()
    {
        var x = Tensor.FromArray<double>([1000, 1000 + Math.Log(3)], [1, 2]);

        Expect.Values(x.Softmax(1), [1, 2], [0.25, 0.75], 1e-12);
        Expect.Values(x.LogSoftmax(1), [1, 2], [Math.Log(0.25), Math.Log(0.75)], 1e-12);
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("Clamp")]
    [InlineData("Maximum")]
    [InlineData("Max dim")]
    [InlineData("Exp")]
    [InlineData("Softmax")]
    public void NaN_PropagatesThroughTheOp(string op)
    {
        var x = Tensor.FromArray<float>([1f, float.NaN, -2f], [1, 3]);
        var y = op switch
        {
            "Relu" => x.Relu(),
            "Clamp" => x.Clamp(-1, 1),
            "Maximum" => x.Maximum(Tensor.Zeros([1, 3])),
            "Max dim" => x.Max(1).Values,
            "Exp" => x.Exp(),
            _ => x.Softmax(1),
        };

        Assert.True(y.IsNaN().CountNonZero() >= 1, $"{op} dropped the NaN: {y}");
    }

    private static Tensor Upstream(Tensor y)
    {
        var rng = new Random(99);
        var values = new double[y.NumEl];
        for (int i = 0; i < values.Length; i++) values[i] = 2 * rng.NextDouble() - 1;
        return OpCase.MakeTensor(values, [.. y.Shape], y.DType);
    }

    /// <summary>Forward and every input gradient for a random upstream gradient, under the given kernel options.</summary>
    private static (RefArray Y, RefArray[] Grads) ForwardBackward(OpCase op, DType dtype,
        SimdLevel level = SimdLevel.Avx512, int threads = 0, bool parallel = false)
    {
        using var options = KernelOptions.OverrideForTesting(level, threads, parallel);
        var inputs = op.MakeInputs(Seed, dtype);
        var y = op.Function(inputs);
        y.Backward(Upstream(y));
        var grads = inputs.Select(x => x.Grad is null
            ? new RefArray(new double[x.NumEl], [.. x.Shape])
            : OpCase.ToRef(x.Grad)).ToArray();
        return (OpCase.ToRef(y), grads);
    }
}
