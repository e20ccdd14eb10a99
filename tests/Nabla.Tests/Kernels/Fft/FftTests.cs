using Nabla.Kernels;
using Nabla.Kernels.Fft;

namespace Nabla.Tests.Kernels.Fft;

/// <summary>The FFT plans (radix 2, 3, 4, 5, direct small primes, Bluestein) against the O(N²) DFT in double, and the
/// SIMD-lane STFT paths against the scalar one.</summary>
public sealed class FftTests
{
    // Powers of two and four; products of 2, 3, 5 (200, 400 are torchaudio's 400/2 and n_fft); the direct radices 7 … 31;
    // primes above 31 (Bluestein: 37, 127, 257) and a composite with a large prime factor (2·97).
    public static TheoryData<int> Lengths => [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 25, 30, 31, 37, 49, 64, 100, 127, 194, 200, 243, 257, 400, 512, 1000, 2048];

    private static (double[] Re, double[] Im) NaiveDft(double[] re, double[] im, int sign = -1)
    {
        int n = re.Length;
        var outRe = new double[n];
        var outIm = new double[n];
        for (int k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++)
            {
                double angle = sign * 2 * Math.PI * ((long)k * j % n) / n;
                sr += re[j] * Math.Cos(angle) - im[j] * Math.Sin(angle);
                si += re[j] * Math.Sin(angle) + im[j] * Math.Cos(angle);
            }
            outRe[k] = sr;
            outIm[k] = si;
        }
        return (outRe, outIm);
    }

    private static double[] Signal(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1)];
    }

    [Theory, MemberData(nameof(Lengths))]
    public void ComplexForward_MatchesNaiveDft_Double(int n)
    {
        double[] re = Signal(n, 1), im = Signal(n, 2);
        var (er, ei) = NaiveDft(re, im);
        Dft.Forward<double>(re, im);
        for (int k = 0; k < n; k++)
        {
            Assert.True(Math.Abs(re[k] - er[k]) < 1e-11 * n, $"N={n} re[{k}] = {re[k]}, expected {er[k]}");
            Assert.True(Math.Abs(im[k] - ei[k]) < 1e-11 * n, $"N={n} im[{k}] = {im[k]}, expected {ei[k]}");
        }
    }

    [Theory, MemberData(nameof(Lengths))]
    public void ComplexForward_MatchesNaiveDft_Float(int n)
    {
        double[] re = Signal(n, 3), im = Signal(n, 4);
        var (er, ei) = NaiveDft(re, im);
        float[] fr = [.. re.Select(v => (float)v)], fi = [.. im.Select(v => (float)v)];
        Dft.Forward<float>(fr, fi);
        // float32 FFT error grows like ε·√N·log N relative to the signal's energy √N.
        double tolerance = 2e-6 * Math.Sqrt(n) * Math.Log2(n + 1) + 1e-6;
        for (int k = 0; k < n; k++)
        {
            Assert.True(Math.Abs(fr[k] - er[k]) < tolerance, $"N={n} re[{k}] = {fr[k]}, expected {er[k]}");
            Assert.True(Math.Abs(fi[k] - ei[k]) < tolerance, $"N={n} im[{k}] = {fi[k]}, expected {ei[k]}");
        }
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Inverse_UndoesForward(int n)
    {
        double[] re = Signal(n, 5), im = Signal(n, 6);
        double[] r = (double[])re.Clone(), i = (double[])im.Clone();
        Dft.Forward<double>(r, i);
        Dft.Inverse<double>(r, i);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(re[k], r[k], 1e-12);
            Assert.Equal(im[k], i[k], 1e-12);
        }
    }

    [Theory, MemberData(nameof(Lengths))]
    public void RealForward_MatchesNaiveDft_AndRealInverseUndoesIt(int n)
    {
        double[] x = Signal(n, 7);
        var (er, ei) = NaiveDft(x, new double[n]);
        int bins = n / 2 + 1;
        var re = new double[bins];
        var im = new double[bins];
        Dft.RealForward<double>(x, re, im);
        for (int k = 0; k < bins; k++)
        {
            Assert.True(Math.Abs(re[k] - er[k]) < 1e-11 * n, $"N={n} re[{k}] = {re[k]}, expected {er[k]}");
            Assert.True(Math.Abs(im[k] - ei[k]) < 1e-11 * n, $"N={n} im[{k}] = {im[k]}, expected {ei[k]}");
        }
        var back = new double[n];
        Dft.RealInverse<double>(re, im, back);
        for (int j = 0; j < n; j++) Assert.Equal(x[j], back[j], 1e-12);
    }

    [Fact]
    public void RealInverse_IgnoresImaginaryPartsOfDcAndNyquist()
    {
        // torch.fft.irfft (pocketfft's c2r) reads only the real parts of bins 0 and N/2.
        double[] re = [1, 2, 3, 4, 5], im = [7, -1, 0.5, 2, 9];
        var a = new double[8];
        var b = new double[8];
        Dft.RealInverse<double>(re, im, a);
        im[0] = 0;
        im[4] = 0;
        Dft.RealInverse<double>(re, im, b);
        Assert.Equal(b, a);
    }

    public static TheoryData<int> LaneLengths => [7, 16, 30, 37, 64, 400, 512];

    [Theory, MemberData(nameof(LaneLengths))]
    public void StftLanes_MatchScalarPath(int n)
    {
        foreach (var level in new[] { SimdLevel.Avx2, SimdLevel.Avx512 }) StftLanesMatchScalar(level, n);
    }

    private static void StftLanesMatchScalar(SimdLevel level, int n)
    {
        // 3 signals of 50 frames each (hop n/3): full tiles of 8 and 16 lanes and a partial last tile; reflect-padded ends.
        int hop = Math.Max(1, n / 3), frames = 50, length = (frames - 1) * hop + 1;
        var g = new StftGeometry(3, length, n, hop, frames, n / 2, SignalPadding.Reflect, Onesided: true);
        if (n / 2 >= length) return;
        var random = new Random(n);
        float[] x = [.. Enumerable.Range(0, 3 * length).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        float[] window = [.. Enumerable.Range(0, n).Select(i => (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n)))];
        var expected = new float[3 * g.Bins * frames * 2];
        var actual = new float[expected.Length];
        using (KernelOptions.OverrideForTesting(SimdLevel.Scalar))
            StftKernel.Analyze<float>(x, window, expected, g, SpectrumOutput.Complex);
        using (KernelOptions.OverrideForTesting(level, threads: 2, forceParallel: true))
            StftKernel.Analyze<float>(x, window, actual, g, SpectrumOutput.Complex);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4f * Math.Sqrt(n), $"{level} N={n}: element {i} is {actual[i]}, scalar gives {expected[i]}");
    }
}
