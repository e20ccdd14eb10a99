using System.Buffers;
using System.Numerics;

namespace Nabla.Kernels.Fft;

/// <summary>Single-signal transforms on plain spans (one lane), for callers outside the STFT and for tests.</summary>
internal static class Dft
{
    /// <summary>In place, X[k] = Σₙ x[n]·e^{−2πikn/N}, N = <paramref name="re"/>.Length.</summary>
    public static void Forward<T>(Span<T> re, Span<T> im) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (re.Length == 0) return;
        var plan = FftPlan<T>.Get(re.Length);
        var work = ArrayPool<T>.Shared.Rent(plan.WorkLength);
        try { FftLanes.Forward<ScalarLane<T>, T, T>(plan, re, im, work); }
        finally { ArrayPool<T>.Shared.Return(work); }
    }

    /// <summary>In place, x[n] = (1/N)·Σₖ X[k]·e^{+2πikn/N}.</summary>
    public static void Inverse<T>(Span<T> re, Span<T> im) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (re.Length == 0) return;
        var plan = FftPlan<T>.Get(re.Length);
        var work = ArrayPool<T>.Shared.Rent(plan.WorkLength);
        try { FftLanes.InverseUnnormalized<ScalarLane<T>, T, T>(plan, re, im, work); }
        finally { ArrayPool<T>.Shared.Return(work); }
        T scale = T.One / T.CreateTruncating(re.Length);
        for (int i = 0; i < re.Length; i++) { re[i] *= scale; im[i] *= scale; }
    }

    /// <summary>The one-sided spectrum of a real signal: X[k], k ∈ [0, N/2], into <paramref name="re"/> and <paramref name="im"/>.</summary>
    public static void RealForward<T>(ReadOnlySpan<T> x, Span<T> re, Span<T> im) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, bins = n / 2 + 1;
        var geometry = new StftGeometry(1, n, n, n, 1, 0, SignalPadding.Constant, Onesided: true);
        var window = ArrayPool<T>.Shared.Rent(n);
        var y = ArrayPool<T>.Shared.Rent(2 * bins);
        try
        {
            window.AsSpan(0, n).Fill(T.One);
            StftKernel.Analyze<T>(x, window.AsSpan(0, n), y.AsSpan(0, 2 * bins), geometry, SpectrumOutput.Complex);
            for (int k = 0; k < bins; k++) { re[k] = y[2 * k]; im[k] = y[2 * k + 1]; }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(window);
            ArrayPool<T>.Shared.Return(y);
        }
    }

    /// <summary>The inverse of <see cref="RealForward{T}"/> (torch.fft.irfft with n = <paramref name="x"/>.Length):
    /// x[n] = (1/N)·Σ_{k&lt;N} X[k]·e^{+2πikn/N} with X completed as Hermitian.</summary>
    public static void RealInverse<T>(ReadOnlySpan<T> re, ReadOnlySpan<T> im, Span<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, bins = n / 2 + 1;
        var geometry = new StftGeometry(1, n, n, n, 1, 0, SignalPadding.Constant, Onesided: true);
        var window = ArrayPool<T>.Shared.Rent(n);
        var spectrum = ArrayPool<T>.Shared.Rent(2 * bins);
        try
        {
            window.AsSpan(0, n).Fill(T.One);
            for (int k = 0; k < bins; k++) { spectrum[2 * k] = re[k]; spectrum[2 * k + 1] = im[k]; }
            StftKernel.SynthesizeComplex<T>(spectrum.AsSpan(0, 2 * bins), window.AsSpan(0, n), x, geometry, 1.0 / n, halveInterior: false);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(window);
            ArrayPool<T>.Shared.Return(spectrum);
        }
    }
}
