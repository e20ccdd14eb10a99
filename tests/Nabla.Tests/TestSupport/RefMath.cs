namespace Nabla.Tests.TestSupport;

/// <summary>Scalar and vector reference functions in double, written from their definitions and independent of
/// Nabla's kernels (erf by quadrature, not by Nabla's series).</summary>
public static class RefMath
{
    /// <summary>erf(x) = (2/√π)∫₀ˣ e^(−t²) dt by composite Simpson's rule with 4000 panels (error below 1e-14 for |x| ≤ 4).</summary>
    public static double Erf(double x)
    {
        const int n = 4000;
        double h = x / n, s = 1 + Math.Exp(-x * x);
        for (int i = 1; i < n; i++)
        {
            double t = i * h;
            s += (i % 2 == 1 ? 4 : 2) * Math.Exp(-t * t);
        }
        return 2 / Math.Sqrt(Math.PI) * s * h / 3;
    }

    /// <summary>σ(x) = 1/(1 + e⁻ˣ).</summary>
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>(1/β)·ln(1 + e^(βx)), or x where βx &gt; threshold (PyTorch's softplus).</summary>
    public static double Softplus(double x, double beta, double threshold) =>
        beta * x > threshold ? x : Math.Log(1 + Math.Exp(beta * x)) / beta;

    /// <summary>x·Φ(x), Φ(x) = ½(1 + erf(x/√2)).</summary>
    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    public static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    /// <summary>x for x &gt; 0, else α(eˣ − 1).</summary>
    public static double Elu(double x, double alpha) => x > 0 ? x : alpha * (Math.Exp(x) - 1);

    /// <summary>eˣⁱ / Σ eˣʲ (inputs are small, so no shift is needed).</summary>
    public static double[] Softmax(double[] x)
    {
        double sum = x.Sum(Math.Exp);
        return Array.ConvertAll(x, v => Math.Exp(v) / sum);
    }

    /// <summary>xᵢ − ln Σ eˣʲ.</summary>
    public static double[] LogSoftmax(double[] x)
    {
        double lse = LogSumExp(x);
        return Array.ConvertAll(x, v => v - lse);
    }

    /// <summary>ln Σ eˣ.</summary>
    public static double LogSumExp(double[] x) => Math.Log(x.Sum(Math.Exp));

    /// <summary>Σ(x − x̄)² / (n − correction).</summary>
    public static double Variance(double[] x, int correction)
    {
        double mean = x.Average();
        return x.Sum(v => (v - mean) * (v - mean)) / (x.Length - correction);
    }
}
