using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>multinomial(weights, numSamples, replacement): category indices drawn with probability
/// weightᵢ / Σ weights, from each row of a 1-D [C] or 2-D [N, C] tensor of non-negative weights. Not differentiable.</summary>
/// <remarks>With replacement: u ~ U[0, Σw), the first i whose running sum exceeds u. Without replacement: the
/// exponential race (Efraimidis–Spirakis): keyᵢ = Eᵢ / wᵢ with Eᵢ ~ Exp(1), and the k smallest keys in order, which
/// has the distribution of drawing one at a time and removing each draw (as PyTorch does it).</remarks>
internal static class MultinomialOp
{
    public static Tensor Apply(Tensor weights, int numSamples, bool replacement, Generator? generator)
    {
        const string op = "Multinomial";
        if (!weights.DType.IsFloatingPoint()) Throw.DType(op, weights.DType, "float32 or float64 weights");
        if (weights.Dim is not (1 or 2))
            Throw.Shape(op, "[C] or [N, C]", ShapeUtil.Format(weights.shape),
                $"{op}: weights must be 1-D [C] or 2-D [N, C]; got shape {ShapeUtil.Format(weights.shape)}.");
        if (numSamples <= 0) Throw.OutOfRange($"{op}: numSamples must be positive; got {numSamples}.", nameof(numSamples));
        int rows = weights.Dim == 1 ? 1 : weights.shape[0], c = weights.shape[^1];
        if (!replacement && numSamples > c)
            Throw.Argument($"{op}: cannot draw {numSamples} samples without replacement from {c} categories (weights {ShapeUtil.Format(weights.shape)}).");

        var w = weights.ToRaw(DType.Float64).Span<double>();
        for (int r = 0; r < rows; r++) CheckRow(op, w.Slice(r * c, c), r, numSamples, replacement);

        var g = generator ?? Generator.Default;
        var result = Tensor.Uninitialized(weights.Dim == 1 ? [numSamples] : [rows, numSamples], DType.Int64);
        var output = result.Span<long>();
        var scratch = new double[c];
        int[] order = replacement ? [] : new int[c];
        for (int r = 0; r < rows; r++)
        {
            var row = w.Slice(r * c, c);
            var samples = output.Slice(r * numSamples, numSamples);
            if (replacement) WithReplacement(row, samples, scratch, g);
            else WithoutReplacement(row, samples, scratch, order, g);
        }
        return result;
    }

    private static void CheckRow(string op, ReadOnlySpan<double> row, int r, int numSamples, bool replacement)
    {
        double sum = 0;
        int positive = 0;
        for (int i = 0; i < row.Length; i++)
        {
            double v = row[i];
            if (!(v >= 0) || double.IsInfinity(v))
                Throw.Argument($"{op}: row {r} has weight {v} at category {i}; weights must be finite and non-negative.");
            sum += v;
            if (v > 0) positive++;
        }
        if (!(sum > 0)) Throw.Argument($"{op}: row {r} sums to 0; at least one weight must be positive.");
        if (!replacement && positive < numSamples)
            Throw.Argument($"{op}: row {r} has only {positive} categories with non-zero weight, fewer than the {numSamples} samples requested without replacement.");
    }

    private static void WithReplacement(ReadOnlySpan<double> w, Span<long> samples, double[] cdf, Generator g)
    {
        double total = 0;
        for (int i = 0; i < w.Length; i++) cdf[i] = total += w[i];
        for (int s = 0; s < samples.Length; s++)
        {
            double u = g.NextDouble() * total;
            // The first i with cdf[i] > u; it has wᵢ > 0 because cdf only rises at positive weights.
            int lo = 0, hi = w.Length - 1;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] > u) hi = mid; else lo = mid + 1;
            }
            samples[s] = lo;
        }
    }

    private static void WithoutReplacement(ReadOnlySpan<double> w, Span<long> samples, double[] keys, int[] order, Generator g)
    {
        for (int i = 0; i < w.Length; i++)
        {
            double e = -Math.Log(1.0 - g.NextDouble());   // Exp(1); 1 − U ∈ (0, 1] keeps the log finite
            keys[i] = w[i] > 0 ? e / w[i] : double.PositiveInfinity;
            order[i] = i;
        }
        Array.Sort(keys, order, 0, w.Length);
        for (int s = 0; s < samples.Length; s++) samples[s] = order[s];
    }
}
