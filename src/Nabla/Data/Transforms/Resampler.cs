namespace Nabla.Data.Transforms;

/// <summary>Separable resampling with the triangle (bilinear) filter, as PIL's <c>Image.resize(BILINEAR)</c> and
/// torchvision's <c>Resize(antialias=True)</c>: output pixel i (centre (i + ½)·s in input pixels, s = in/out) averages
/// the inputs j with weight max(0, 1 − |j + ½ − centre| / σ), σ = max(s, 1) when antialiasing and 1 when not,
/// normalized to sum 1. With σ = 1 this is plain bilinear interpolation between pixel centres
/// (<c>F.interpolate(mode="bilinear", align_corners=False)</c>); a wider σ averages every input a shrinking output covers.</summary>
internal static class Resampler
{
    /// <summary>Resizes [C, H, W] <paramref name="image"/> into [C, OH, OW] <paramref name="result"/>.</summary>
    public static void Resize(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width,
        int outHeight, int outWidth, bool antialias)
    {
        var (colStart, colCount, colWeights, colTaps) = Weights(width, outWidth, antialias);
        var (rowStart, rowCount, rowWeights, rowTaps) = Weights(height, outHeight, antialias);
        var rows = new float[height * outWidth];   // one channel resized horizontally: [H, OW]
        for (int c = 0; c < channels; c++)
        {
            var src = image.Slice(c * height * width, height * width);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < outWidth; x++)
                {
                    float sum = 0;
                    int first = colStart[x];
                    for (int k = 0; k < colCount[x]; k++) sum += colWeights[x * colTaps + k] * src[y * width + first + k];
                    rows[y * outWidth + x] = sum;
                }
            var dst = result.Slice(c * outHeight * outWidth, outHeight * outWidth);
            for (int y = 0; y < outHeight; y++)
            {
                var line = dst.Slice(y * outWidth, outWidth);
                line.Clear();
                int first = rowStart[y];
                for (int k = 0; k < rowCount[y]; k++)
                {
                    float wk = rowWeights[y * rowTaps + k];
                    var from = rows.AsSpan((first + k) * outWidth, outWidth);
                    for (int x = 0; x < outWidth; x++) line[x] += wk * from[x];
                }
            }
        }
    }

    /// <summary>For each output index: the first input index, the number of taps, and the normalized weights
    /// (<paramref name="outSize"/> × taps, row-major).</summary>
    private static (int[] Start, int[] Count, float[] Weights, int Taps) Weights(int inSize, int outSize, bool antialias)
    {
        double scale = (double)inSize / outSize;
        double support = antialias ? Math.Max(scale, 1) : 1;   // the filter's half-width in input pixels
        int taps = (int)Math.Ceiling(support) * 2 + 1;
        var start = new int[outSize];
        var count = new int[outSize];
        var weights = new float[outSize * taps];
        Span<double> w = stackalloc double[taps];
        for (int i = 0; i < outSize; i++)
        {
            double centre = (i + 0.5) * scale;
            int lo = Math.Max((int)(centre - support + 0.5), 0);
            int hi = Math.Min((int)(centre + support + 0.5), inSize);
            int n = Math.Min(hi - lo, taps);
            double total = 0;
            for (int k = 0; k < n; k++)
            {
                w[k] = Math.Max(0, 1 - Math.Abs((lo + k - centre + 0.5) / support));
                total += w[k];
            }
            start[i] = lo;
            count[i] = n;
            for (int k = 0; k < n; k++) weights[i * taps + k] = (float)(total > 0 ? w[k] / total : 0);
        }
        return (start, count, weights, taps);
    }
}
