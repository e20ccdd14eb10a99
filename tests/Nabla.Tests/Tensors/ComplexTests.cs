using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>The complex64 dtype: construction, parts, arithmetic, printing, gradients, and every existing operation either
/// working on it or refusing it with a message that names complex64.</summary>
public sealed class ComplexTests
{
    private static Tensor Z() => Tensor.Complex(Tensor.FromArray<float>([1, -2, 3, 0, 0.5f, 4], [2, 3]), Tensor.FromArray<float>([2, 1, -1, 0, 3, -4], [2, 3]));

    [Fact]
    public void Complex_BuildsFromPartsAndGivesThemBack()
    {
        var z = Z();
        Assert.Equal(DType.Complex64, z.DType);
        Assert.Equal("complex64", z.DType.TorchName());
        Assert.Equal(8, z.DType.ElementSize());
        Assert.Equal([1f, -2, 3, 0, 0.5f, 4], z.Real().ToArray<float>());
        Assert.Equal([2f, 1, -1, 0, 3, -4], z.Imag().ToArray<float>());
        Assert.Equal(new Complex64(-2, 1), z.ToArray<Complex64>()[1]);
        Assert.Equal([2, 3, 2], z.ViewAsReal().Shape);
        Assert.Equal(z.ToArray<Complex64>(), z.ViewAsReal().ViewAsComplex().ToArray<Complex64>());
    }

    [Fact]
    public void Arithmetic_FollowsComplexRules()
    {
        var a = Tensor.FromArray<Complex64>([new(1, 2), new(3, -1)]);
        var b = Tensor.FromArray<Complex64>([new(0, 1), new(2, 2)]);
        Assert.Equal([new Complex64(1, 3), new Complex64(5, 1)], (a + b).ToArray<Complex64>());
        Assert.Equal([new Complex64(1, 1), new Complex64(1, -3)], (a - b).ToArray<Complex64>());
        Assert.Equal([new Complex64(-2, 1), new Complex64(8, 4)], (a * b).ToArray<Complex64>());
        Assert.Equal([new Complex64(2, -1), new Complex64(0.5f, -1)], (a / b).ToArray<Complex64>());
        // A real operand is promoted, broadcasting: (1 + 2i)·2, (3 − i)·2.
        Assert.Equal([new Complex64(2, 4), new Complex64(6, -2)], (a * 2).ToArray<Complex64>());
        Assert.Equal([new Complex64(2, 2), new Complex64(5, -1)], (a + Tensor.FromArray<float>([1, 2])).ToArray<Complex64>());
        Assert.Equal([MathF.Sqrt(5), MathF.Sqrt(10)], a.Abs().ToArray<float>());
        Assert.Equal([MathF.Atan2(2, 1), MathF.Atan2(-1, 3)], a.Angle().ToArray<float>());
        Assert.Equal([new Complex64(1, -2), new Complex64(3, 1)], a.Conj().ToArray<Complex64>());
        var p = Tensor.Polar(Tensor.FromArray<float>([2]), Tensor.FromArray<float>([MathF.PI / 2])).ToArray<Complex64>()[0];
        Assert.Equal(0, p.Real, 6);
        Assert.Equal(2, p.Imaginary, 6);
    }

    [Fact]
    public void ToString_PrintsPairsAsPyTorchDoes()
    {
        var a = Tensor.FromArray<Complex64>([new(1, 2), new(3, -1)]);
        Assert.Equal("tensor([1.0000+2.0000j, 3.0000-1.0000j], shape=[2], dtype=complex64)", a.ToString());
    }

    [Fact]
    public void CreationAndLayout_Work()
    {
        Assert.Equal([new Complex64(0, 0)], Tensor.Zeros([1], DType.Complex64).ToArray<Complex64>());
        Assert.Equal([new Complex64(2.5f, 0)], Tensor.Full([1], 2.5, DType.Complex64).ToArray<Complex64>());
        Assert.Equal(new Complex64(1, 0), Tensor.FromArray<float>([1]).To(DType.Complex64).Item<Complex64>());
        var z = Z();
        Assert.Equal(z.ToArray<Complex64>()[4], z.Transpose(0, 1).Contiguous().ToArray<Complex64>()[3]);
        Assert.Equal([new Complex64(3, -1), new Complex64(4, -4)], z.Select(1, 2).ToArray<Complex64>());
        Assert.Equal([4, 3], Tensor.Cat([z, z], 0).Shape);
        Assert.Equal(z.ToArray<Complex64>()[2], z.IndexSelect(1, Tensor.FromArray<long>([2])).ToArray<Complex64>()[0]);
        Assert.Equal([3, 2], z.T.Clone().Shape);
        Assert.Equal([6], z.Flatten().Shape);
        var mask = Tensor.FromArray<bool>([true, false, false], [3]);
        Assert.Equal(new Complex64(9, 0), z.MaskedFill(mask, 9).ToArray<Complex64>()[0]);
        Assert.All(z.Clone().Sub_(z).ToArray<Complex64>(), v => Assert.Equal(default, v));
    }

    [Fact]
    public void Gradients_FollowPyTorchsConvention()
    {
        // L = Σ |z|² with z = a·b: ∂L/∂a = 2·z·conj(b) (PyTorch: grad = ∂L/∂Re + i·∂L/∂Im).
        var re = Tensor.FromArray<float>([1, 3], requiresGrad: true);
        var im = Tensor.FromArray<float>([2, -1], requiresGrad: true);
        var b = Tensor.FromArray<Complex64>([new(0, 1), new(2, 2)]);
        var z = Tensor.Complex(re, im) * b;
        var loss = z.Abs().Mul(z.Abs()).Sum();
        loss.Backward();
        // |a·b|² = |a|²·|b|² → ∂/∂Re a = 2·Re a·|b|², ∂/∂Im a = 2·Im a·|b|².
        Assert.Equal([2f * 1 * 1, 2f * 3 * 8], re.Grad!.ToArray<float>());
        Assert.Equal([2f * 2 * 1, 2f * -1 * 8], im.Grad!.ToArray<float>());
    }

    [Fact]
    public void ComplexOps_MatchFiniteDifferences()
    {
        // Float32 through complex64, so central differences with a large step and float tolerances.
        var generator = new Generator(3);
        var re = Tensor.Randn([2, 3], generator: generator);
        var im = Tensor.Randn([2, 3], generator: generator);
        var w = Tensor.Randn([2, 3], generator: generator);
        Func<Tensor, Tensor, Tensor>[] functions =
        [
            (r, i) => Tensor.Complex(r, i).Abs().Mul(w).Sum(),
            (r, i) => Tensor.Complex(r, i).Angle().Mul(w).Sum(),
            (r, i) => (Tensor.Complex(r, i) * Tensor.Complex(i, r)).Real().Mul(w).Sum(),
            (r, i) => (Tensor.Complex(r, i) / Tensor.Complex(i.Add(3), r)).Imag().Mul(w).Sum(),
            (r, i) => (Tensor.Complex(r, i).Conj() - r).ViewAsReal().Sum(-1).Mul(w).Sum(),
            (r, i) => Tensor.Polar(r.Abs().Add(1), i).ViewAsReal().Select(-1, 1).Mul(w).Sum(),
            (r, i) => Tensor.Stack([r, i], -1).ViewAsComplex().Mul(Tensor.Complex(w, w)).Imag().Sum(),
        ];
        foreach (var f in functions)
        {
            var a = re.Clone().RequiresGrad_();
            var b = im.Clone().RequiresGrad_();
            f(a, b).Backward();
            CheckNumeric(f, re, im, a.Grad!, b.Grad!);
        }
    }

    private static void CheckNumeric(Func<Tensor, Tensor, Tensor> f, Tensor re, Tensor im, Tensor dRe, Tensor dIm)
    {
        const float eps = 1e-2f;
        for (int input = 0; input < 2; input++)
            for (int i = 0; i < re.NumEl; i++)
            {
                var (plus, minus) = (Perturb(input == 0 ? re : im, i, eps), Perturb(input == 0 ? re : im, i, -eps));
                double numeric = input == 0
                    ? (f(plus, im).Item() - f(minus, im).Item()) / (2 * eps)
                    : (f(re, plus).Item() - f(re, minus).Item()) / (2 * eps);
                double analytic = (input == 0 ? dRe : dIm).ToArray<float>()[i];
                Assert.True(Math.Abs(numeric - analytic) < 2e-2 * (1 + Math.Abs(numeric)), $"input {input}, element {i}: analytic {analytic}, numeric {numeric}");
            }
    }

    private static Tensor Perturb(Tensor t, int i, float eps)
    {
        var values = t.ToArray<float>();
        values[i] += eps;
        return Tensor.FromArray<float>(values, [.. t.Shape]);
    }

    public static TheoryData<string> RefusedOperations => [.. Refused.Keys];

    private static readonly Dictionary<string, Func<Tensor, object>> Refused = new()
    {
        ["Exp"] = z => z.Exp(), ["Log"] = z => z.Log(), ["Sqrt"] = z => z.Sqrt(), ["Sin"] = z => z.Sin(), ["Cos"] = z => z.Cos(),
        ["Neg"] = z => z.Neg(), ["Pow"] = z => z.Pow(2), ["Relu"] = z => z.Relu(), ["Sigmoid"] = z => z.Sigmoid(), ["Tanh"] = z => z.Tanh(),
        ["Gelu"] = z => z.Gelu(), ["Elu"] = z => z.Elu(), ["LeakyRelu"] = z => z.LeakyRelu(), ["Softplus"] = z => z.Softplus(),
        ["Clamp"] = z => z.Clamp(0, 1), ["Softmax"] = z => z.Softmax(-1), ["LogSoftmax"] = z => z.LogSoftmax(-1),
        ["Sum"] = z => z.Sum(), ["Mean"] = z => z.Mean(1), ["Max"] = z => z.Max(), ["MaxDim"] = z => z.Max(1), ["ArgMax"] = z => z.ArgMax(1),
        ["Var"] = z => z.Var(), ["LogSumExp"] = z => z.LogSumExp(1), ["MatMul"] = z => z.MatMul(z.T),
        ["Maximum"] = z => z.Maximum(z), ["Eq"] = z => z.Eq(z), ["Lt"] = z => z.Lt(z), ["IsNaN"] = z => z.IsNaN(),
        ["AllClose"] = z => z.AllClose(z), ["Item"] = z => z.Select(0, 0).Select(0, 0).Item(), ["Indexer"] = z => z[0, 0],
        ["ToFloat"] = z => z.To(DType.Float32), ["Sort"] = z => z.Sort(), ["TopK"] = z => z.TopK(1), ["Cumsum"] = z => z.Cumsum(1),
        ["Cumprod"] = z => z.Cumprod(1), ["CountNonZero"] = z => z.CountNonZero(),
        ["Linear"] = z => Functional.Linear(z, z), ["LayerNorm"] = z => Functional.LayerNorm(z, [3]),
        ["Dropout"] = z => Functional.Dropout(z, 0.5, training: true), ["CrossEntropy"] = z => Functional.CrossEntropy(z, Tensor.FromArray<long>([0, 1])),
        ["MseLoss"] = z => Functional.MseLoss(z, z), ["Randn"] = _ => Tensor.Randn([2], DType.Complex64),
        ["Checkpoint"] = z => Nabla.IO.Checkpoint.ToEntry("z", z),
    };

    [Theory, MemberData(nameof(RefusedOperations))]
    public void UnsupportedOperation_RefusesComplexWithAClearMessage(string name)
    {
        var e = Record.Exception(() => Refused[name](Z()));
        Assert.NotNull(e);
        Assert.True(e is ArgumentException or InvalidOperationException, $"{name}: {e.GetType().Name}: {e.Message}");
        Assert.Contains("complex64", e.Message, StringComparison.Ordinal);
    }
}
