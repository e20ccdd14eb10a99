using Nabla.Tensors;

namespace Nabla.Audio;

public static partial class AudioFunctional
{
    /// <summary>Delta features along the last (time) axis by Savitzky–Golay filtering (<c>librosa.feature.delta</c>, mode
    /// "interp"): the order-th derivative of the least-squares polynomial of degree <paramref name="order"/> through the
    /// <paramref name="width"/> frames around each frame.</summary>
    /// <remarks>With n = (width − 1)/2 the interior is d[t] = Σ_{j=−n}^{n} c_j·x[t + j], c = order!·row <paramref name="order"/> of
    /// the pseudo-inverse of the Vandermonde matrix V[j, i] = jⁱ (for order 1: c_j = j / Σ j²). In "interp" mode the first and
    /// last n frames take the derivative of the polynomial fitted to the first and last width frames; a polynomial of degree
    /// order has a constant order-th derivative, so they equal d[n] and d[T − 1 − n]. Differentiable.</remarks>
    public static Tensor Delta(Tensor data, int width = 9, int order = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (width < 3 || width % 2 == 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Delta: width must be an odd integer ≥ 3.");
        if (order < 1 || order >= width) throw new ArgumentOutOfRangeException(nameof(order), order, $"Delta: order must be in [1, width = {width}).");
        int time = data.Dim == 0 ? 0 : data.Shape[^1];
        if (width > time)
            throw new ArgumentException($"Delta: when mode='interp', width = {width} cannot exceed the {time} frames along the last axis.", nameof(data));
        var c = SavitzkyGolay(width, order);
        int n = width / 2, valid = time - 2 * n;
        Tensor? interior = null;
        for (int i = 0; i < width; i++)
        {
            if (c[i] == 0) continue;
            var term = data.Narrow(-1, i, valid).Mul(c[i]);
            interior = interior is null ? term : interior.Add(term);
        }
        interior ??= data.Narrow(-1, 0, valid).Mul(0);
        var edges = new long[time];
        for (int t = 0; t < time; t++) edges[t] = Math.Clamp(t - n, 0, valid - 1);
        return interior.IndexSelect(-1, Tensor.FromArray<long>(edges));
    }

    /// <summary>Delta coefficients (<c>torchaudio.functional.compute_deltas</c>): d_t = Σ_{n=1}^{N} n·(c_{t+n} − c_{t−n}) / (2·Σ_{n=1}^{N} n²),
    /// N = (winLength − 1)/2, the time axis (last) padded by N frames on each side with <paramref name="mode"/>.</summary>
    public static Tensor ComputeDeltas(Tensor specgram, int winLength = 5, PadMode mode = PadMode.Replicate)
    {
        ArgumentNullException.ThrowIfNull(specgram);
        if (winLength < 3) throw new ArgumentOutOfRangeException(nameof(winLength), winLength, "ComputeDeltas: win_length must be ≥ 3.");
        if (specgram.Dim == 0) throw new ArgumentException("ComputeDeltas: the input needs a time dimension.", nameof(specgram));
        int n = (winLength - 1) / 2, time = specgram.Shape[^1];
        double denominator = n * (n + 1) * (2 * n + 1) / 3.0;
        // As torchaudio: [..., time] → [1, rows, time], padded along time.
        var padded = specgram.Reshape([1, -1, time]).Pad([n, n], mode switch
        {
            PadMode.Constant => "constant",
            PadMode.Reflect => "reflect",
            PadMode.Replicate => "replicate",
            _ => "circular",
        });
        Tensor? sum = null;
        for (int j = 1; j <= n; j++)
        {
            var term = padded.Narrow(-1, n + j, time).Sub(padded.Narrow(-1, n - j, time)).Mul(j / denominator);
            sum = sum is null ? term : sum.Add(term);
        }
        return sum!.Reshape([.. specgram.Shape]);
    }

    /// <summary>c_j, j = −n … n: order! times row <paramref name="order"/> of (VᵀV)⁻¹Vᵀ, V[j, i] = jⁱ, i ≤ order.</summary>
    private static double[] SavitzkyGolay(int width, int order)
    {
        int n = width / 2, p = order + 1;
        var ata = new double[p, p];
        for (int j = -n; j <= n; j++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++) ata[a, b] += Math.Pow(j, a + b);
        var inverse = Invert(ata);
        double factorial = 1;
        for (int k = 2; k <= order; k++) factorial *= k;
        var c = new double[width];
        for (int j = -n; j <= n; j++)
        {
            double s = 0;
            for (int i = 0; i < p; i++) s += inverse[order, i] * Math.Pow(j, i);
            c[j + n] = factorial * s;
        }
        return c;
    }

    /// <summary>Gauss–Jordan inverse with partial pivoting of a small symmetric positive definite matrix.</summary>
    private static double[,] Invert(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++) inv[i, i] = 1;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (int k = 0; k < n; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                (inv[col, k], inv[pivot, k]) = (inv[pivot, k], inv[col, k]);
            }
            double d = a[col, col];
            for (int k = 0; k < n; k++) { a[col, k] /= d; inv[col, k] /= d; }
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double f = a[r, col];
                for (int k = 0; k < n; k++) { a[r, k] -= f * a[col, k]; inv[r, k] -= f * inv[col, k]; }
            }
        }
        return inv;
    }
}
