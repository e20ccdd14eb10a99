namespace Nabla;

/// <summary>Special functions .NET lacks, accurate to double precision.</summary>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.12837916709551257390;

    /// <summary>erf(x) = (2/√π)∫₀ˣ e^(−t²) dt. Maclaurin series for |x| &lt; 2.5, a continued fraction for erfc beyond.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x);
        if (ax < 2.5)
        {
            // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n!(2n+1))
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return Math.CopySign(TwoOverSqrtPi * sum, x);
        }
        if (ax > 6) return Math.CopySign(1.0, x);
        return Math.CopySign(1 - Erfc(ax), x);
    }

    /// <summary>erfc(x) for x ≥ 2.5 by the Laplace continued fraction, evaluated with Lentz's method.</summary>
    private static double Erfc(double x)
    {
        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 300; n++)
        {
            double a = n * 0.5;
            d = x + a * d;
            if (Math.Abs(d) < tiny) d = tiny;
            c = x + a / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }
}
