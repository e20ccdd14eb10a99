using Nabla.Kernels;
using Nabla.Kernels.Norm;

namespace Nabla.Tests.Kernels.Norm;

/// <summary>Batch normalization's float32 loops for short planes (<see cref="ShortPlanes"/>, reached through
/// <see cref="BatchNormKernel"/>) against the same kernel in float64, on planes with and without a partial last
/// vector, and channels long enough that the float partial sums move into double more than once.</summary>
public sealed class ShortPlanesTests
{
    public static TheoryData<int, int> Shapes() => new() { { 3, 2 }, { 5, 15 }, { 4, 16 }, { 6, 17 }, { 100, 49 }, { 20, 255 } };

    [Theory, MemberData(nameof(Shapes))]
    public void ForwardAndBackward_MatchFloat64(int n, int s)
    {
        const int c = 3;
        Assert.Equal(KernelOptions.Avx512Enabled, ShortPlanes.Applies<float>(s));
        var random = new Random(n * 1000 + s);
        // A mean far from zero: the squared deviations must be taken about it.
        float[] x = Enumerable.Range(0, n * c * s).Select(_ => (float)(10 + random.NextDouble() * 2 - 1)).ToArray();
        float[] dy = Enumerable.Range(0, n * c * s).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] gamma = [0.5f, 1.5f, -2f], beta = [0.1f, -0.2f, 0.3f];

        float[] mean = new float[c], variance = new float[c], y = new float[x.Length];
        BatchNormKernel.Statistics<float>(x, mean, variance, n, c, s);
        float[] rstd = variance.Select(v => 1 / MathF.Sqrt(v + 1e-5f)).ToArray();
        BatchNormKernel.Normalize<float>(x, mean, rstd, gamma, beta, y, n, c, s);
        float[] dx = new float[x.Length], dGamma = new float[c], dBeta = new float[c];
        BatchNormKernel.Backward<float>(x, dy, mean, rstd, gamma, dx, dGamma, dBeta, n, c, s, batchStatistics: true);

        double[] xd = x.Select(v => (double)v).ToArray(), dyd = dy.Select(v => (double)v).ToArray();
        double[] meanRef = new double[c], varianceRef = new double[c], yRef = new double[x.Length];
        BatchNormKernel.Statistics<double>(xd, meanRef, varianceRef, n, c, s);
        double[] rstdRef = varianceRef.Select(v => 1 / Math.Sqrt(v + 1e-5)).ToArray();
        double[] gammaD = gamma.Select(v => (double)v).ToArray(), betaD = beta.Select(v => (double)v).ToArray();
        BatchNormKernel.Normalize<double>(xd, meanRef, rstdRef, gammaD, betaD, yRef, n, c, s);
        double[] dxRef = new double[x.Length], dGammaRef = new double[c], dBetaRef = new double[c];
        BatchNormKernel.Backward<double>(xd, dyd, meanRef, rstdRef, gammaD, dxRef, dGammaRef, dBetaRef, n, c, s, batchStatistics: true);

        for (int ch = 0; ch < c; ch++)
        {
            Assert.Equal(meanRef[ch], mean[ch], 1e-5);
            Assert.Equal(varianceRef[ch], variance[ch], 2e-5);
            Assert.Equal(dBetaRef[ch], dBeta[ch], 1e-3);
            Assert.Equal(dGammaRef[ch], dGamma[ch], 1e-3);
        }
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(yRef[i] - y[i]) < 1e-4, $"y[{i}]: {y[i]} against {yRef[i]}");
            Assert.True(Math.Abs(dxRef[i] - dx[i]) < 1e-4, $"dx[{i}]: {dx[i]} against {dxRef[i]}");
        }
    }
}
