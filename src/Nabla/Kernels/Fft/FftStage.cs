using System.Numerics;

namespace Nabla.Kernels.Fft;

/// <summary>One pass of a Stockham autosort FFT: combines <c>radix</c> transforms of length <see cref="Span"/> into
/// transforms of length <see cref="Span"/>·<see cref="Radix"/>.</summary>
/// <remarks>
/// Before the pass the array holds, for each residue a ∈ [0, r) with r = n / <see cref="Span"/>, the length-L DFT
/// Y_a[k] of the subsequence x[a + r·t] at index k·r + a. With L′ = L·p and r′ = r / p (<see cref="Stride"/>), the DFT of
/// the subsequence of residue a′ ∈ [0, r′) is, for k ∈ [0, L) and c ∈ [0, p),
///   Y′_a′[k + L·c] = Σ_b ω_p^{b·c} · (ω_L′^{b·k} · Y_{a′ + r′·b}[k]),   ω_m = e^{−2πi/m},
/// a radix-p butterfly on inputs read at (k·p + b)·r′ + a′ and outputs written at (c·L + k)·r′ + a′. After the last pass
/// (L = n, r = 1) the array holds X[k] in natural order: no bit reversal.
/// </remarks>
internal sealed class FftStage<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public FftStage(int radix, int span, int stride)
    {
        Radix = radix;
        Span = span;
        Stride = stride;
        TwiddleRe = new T[(radix - 1) * span];
        TwiddleIm = new T[(radix - 1) * span];
        for (int b = 1; b < radix; b++)
            for (int k = 0; k < span; k++)
            {
                // ω_L′^{b·k}, reduced mod L′ so the angle stays small and exact in double.
                long m = (long)b * k % ((long)span * radix);
                double angle = -2 * Math.PI * m / ((double)span * radix);
                TwiddleRe[(b - 1) * span + k] = T.CreateTruncating(Math.Cos(angle));
                TwiddleIm[(b - 1) * span + k] = T.CreateTruncating(Math.Sin(angle));
            }
        RootRe = new T[radix];
        RootIm = new T[radix];
        for (int j = 0; j < radix; j++)
        {
            double angle = -2 * Math.PI * j / radix;
            RootRe[j] = T.CreateTruncating(Math.Cos(angle));
            RootIm[j] = T.CreateTruncating(Math.Sin(angle));
        }
    }

    /// <summary>p: 2, 3, 4, 5 have dedicated butterflies; other small primes use the O(p²) direct DFT.</summary>
    public int Radix { get; }

    /// <summary>L: the length of the transforms this pass combines.</summary>
    public int Span { get; }

    /// <summary>r′ = n / (L·p): how many residues remain after this pass.</summary>
    public int Stride { get; }

    /// <summary>ω_L′^{b·k} at [(b − 1)·L + k], b ∈ [1, p), k ∈ [0, L).</summary>
    public T[] TwiddleRe { get; }

    /// <inheritdoc cref="TwiddleRe"/>
    public T[] TwiddleIm { get; }

    /// <summary>ω_p^j, j ∈ [0, p), for the direct butterfly of a generic radix.</summary>
    public T[] RootRe { get; }

    /// <inheritdoc cref="RootRe"/>
    public T[] RootIm { get; }
}
