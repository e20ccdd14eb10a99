namespace Nabla.Cli.Lab.Experiments.Attention;

/// <summary>Self-attention of one head computed step by step in plain loops, every intermediate kept:
/// Q = X·W_Q, K = X·W_K, V = X·W_V, S = Q·Kᵀ, S/√d, A = softmax(S/√d) row by row, O = A·V.</summary>
/// <param name="Q">Queries [L, d].</param>
/// <param name="K">Keys [L, d].</param>
/// <param name="V">Values [L, d].</param>
/// <param name="Scores">S = Q·Kᵀ [L, L].</param>
/// <param name="Scaled">S / √d [L, L].</param>
/// <param name="Weights">A: each row of S / √d through softmax [L, L].</param>
/// <param name="Output">O = A·V [L, d].</param>
internal sealed record HandAttention(double[,] Q, double[,] K, double[,] V, double[,] Scores, double[,] Scaled, double[,] Weights, double[,] Output)
{
    /// <summary>Runs the steps on <paramref name="sentence"/>.</summary>
    public static HandAttention Compute(ToySentence sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var x = sentence.Embeddings;
        int length = x.GetLength(0), d = sentence.Query.GetLength(1);
        var q = Multiply(x, sentence.Query);
        var k = Multiply(x, sentence.Key);
        var v = Multiply(x, sentence.Value);

        var scores = new double[length, length];
        for (int i = 0; i < length; i++)
            for (int j = 0; j < length; j++)
            {
                double dot = 0;   // q_i · k_j
                for (int c = 0; c < d; c++) dot += q[i, c] * k[j, c];
                scores[i, j] = dot;
            }

        var scaled = new double[length, length];
        double root = Math.Sqrt(d);
        for (int i = 0; i < length; i++)
            for (int j = 0; j < length; j++) scaled[i, j] = scores[i, j] / root;

        // softmax_j(s_ij) = exp(s_ij − m_i) / Σ_j′ exp(s_ij′ − m_i), m_i = max_j s_ij: subtracting the row maximum changes
        // nothing mathematically and keeps exp from overflowing.
        var weights = new double[length, length];
        for (int i = 0; i < length; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < length; j++) max = Math.Max(max, scaled[i, j]);
            for (int j = 0; j < length; j++) sum += weights[i, j] = Math.Exp(scaled[i, j] - max);
            for (int j = 0; j < length; j++) weights[i, j] /= sum;
        }

        var output = Multiply(weights, v);   // o_i = Σ_j a_ij · v_j
        return new HandAttention(q, k, v, scores, scaled, weights, output);
    }

    /// <summary>C = A·B by the definition c_ij = Σ_k a_ik · b_kj.</summary>
    public static double[,] Multiply(double[,] a, double[,] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int n = a.GetLength(0), inner = a.GetLength(1), m = b.GetLength(1);
        if (b.GetLength(0) != inner) throw new ArgumentException($"HandAttention.Multiply: [{n}, {inner}] · [{b.GetLength(0)}, {m}]: inner dimensions differ");
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double sum = 0;
                for (int k = 0; k < inner; k++) sum += a[i, k] * b[k, j];
                c[i, j] = sum;
            }
        return c;
    }

    /// <summary>max |a − b| over all entries of two grids of one shape.</summary>
    public static double MaxDifference(double[,] a, double[,] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.GetLength(0) != b.GetLength(0) || a.GetLength(1) != b.GetLength(1))
            throw new ArgumentException($"HandAttention.MaxDifference: shapes [{a.GetLength(0)}, {a.GetLength(1)}] and [{b.GetLength(0)}, {b.GetLength(1)}] differ");
        double max = 0;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) max = Math.Max(max, Math.Abs(a[i, j] - b[i, j]));
        return max;
    }
}
