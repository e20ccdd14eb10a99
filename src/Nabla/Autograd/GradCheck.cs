using Nabla.Tensors;

namespace Nabla.Autograd;

/// <summary>Compares autograd's gradients with central finite differences, like <c>torch.autograd.gradcheck</c>.</summary>
/// <remarks>
/// Inputs should be float64. The output y = f(inputs) is contracted with a fixed random upstream gradient v
/// (not ones, so errors cannot cancel), L = Σ y·v. Analytic: ∂L/∂x from Backward. Numeric:
/// (L(x + ε) − L(x − ε)) / 2ε for every element of every input that requires grad. An element passes when
/// |analytic − numeric| ≤ atol + rtol·|numeric|.
/// </remarks>
public static class GradCheck
{
    /// <summary>Runs the check and returns the worst disagreement found.</summary>
    public static GradCheckResult Run(Func<Tensor[], Tensor> function, Tensor[] inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, long seed = 7)
    {
        foreach (var x in inputs)
            if (x.RequiresGrad && x.DType != DType.Float64)
                Throw.Argument($"GradCheck: inputs that require grad should be float64 for accurate finite differences; got {x.DType.TorchName()} {ShapeUtil.Format(x.ShapeSpan)}.");
        foreach (var x in inputs) x.Grad = null;
        var y = function(inputs);
        if (!y.RequiresGrad) Throw.Argument("GradCheck: the function's output does not require grad; no input that requires grad reaches it.");
        var v = Tensor.Randn(y.ShapeSpan, y.DType, new Generator(seed));
        y.Mul(v).Sum().Backward();

        var worst = new GradCheckResult(true, 0, -1, -1, 0, 0);
        for (int i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            if (!x.RequiresGrad) continue;
            var analytic = x.Grad?.ContiguousRaw() ?? Tensor.Zeros(x.ShapeSpan, x.DType);
            var data = x.Detach();
            for (int j = 0; j < x.NumEl; j++)
            {
                double numeric;
                using (GradMode.NoGrad())
                {
                    int off = StorageIndex(data, j);
                    double orig = data.GetAsDouble(off);
                    SetRaw(data, off, orig + eps);
                    double plus = Contract(function, inputs, v);
                    SetRaw(data, off, orig - eps);
                    double minus = Contract(function, inputs, v);
                    SetRaw(data, off, orig);
                    numeric = (plus - minus) / (2 * eps);
                }
                double a = analytic.GetAsDouble(analytic.Offset + j);
                double err = Math.Abs(a - numeric);
                bool ok = err <= atol + rtol * Math.Abs(numeric);
                if (!ok && worst.Passed || (ok == worst.Passed && err > worst.MaxError))
                    worst = new GradCheckResult(ok && worst.Passed, err, i, j, a, numeric);
            }
        }
        return worst;
    }

    /// <summary>True when every gradient element agrees with finite differences.</summary>
    public static bool Check(Func<Tensor[], Tensor> function, params Tensor[] inputs) => Run(function, inputs).Passed;

    /// <summary>Throws with the worst element's details when the check fails.</summary>
    public static void Assert(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        var r = Run(function, inputs);
        if (!r.Passed)
            throw new InvalidOperationException($"GradCheck: input {r.Input}, element {r.Element}: analytic {r.Analytic:G10} vs numeric {r.Numeric:G10} (|error| {r.MaxError:G3}).");
    }

    private static double Contract(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor v)
    {
        var y = function(inputs);
        return y.Mul(v).Sum().Item();
    }

    private static int StorageIndex(Tensor t, int flat)
    {
        int off = t.Offset;
        for (int d = t.Dim - 1; d >= 0; d--)
        {
            int size = t.shape[d];
            off += flat % size * t.strides[d];
            flat /= size;
        }
        return off;
    }

    private static void SetRaw(Tensor t, int storageIndex, double value) => ((Storage<double>)t.Storage).Array[storageIndex] = value;
}

/// <summary>The outcome of <see cref="GradCheck.Run"/>: whether it passed and the worst element
/// (input index, flat element index, analytic and numeric derivative).</summary>
public readonly record struct GradCheckResult(bool Passed, double MaxError, int Input, int Element, double Analytic, double Numeric);
