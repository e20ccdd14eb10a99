using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels.Fft;

/// <summary>The short-time Fourier transform of a batch of real signals and the transforms its gradients need, frame
/// tiles spread over threads and each tile's frames transformed side by side in SIMD lanes.</summary>
/// <remarks>
/// Analysis: X_t[k] = Σₙ w[n]·x̃[t·hop + n]·e^{−2πikn/N}, x̃ the padded signal (<see cref="StftGeometry.Source"/>); the
/// output is [batch, bins, frames], complex (re, im interleaved) or |X|^p. Synthesis turns spectra back into windowed
/// frames f_t[n] = scale·w[n]·Re Σₖ Y_t[k]·e^{+2πikn/N} (a one-sided Y completed as Hermitian, imaginary parts of its DC and
/// Nyquist bins ignored), written [batch, frames, N]; <see cref="OverlapAdd{T}"/> sums frames into a signal and
/// <see cref="FoldPadding{T}"/> maps padded positions back to samples (the adjoint of padding).
/// The adjoint of analysis is synthesis with interior one-sided bins halved (each stands for itself and its mirror), and
/// the adjoint of synthesis is analysis with interior bins doubled and the ends' imaginary parts dropped.
/// </remarks>
internal static unsafe class StftKernel
{
    private enum Mode { Analyze, SynthesizeComplex, SynthesizePower }

    /// <summary>Analysis of <paramref name="x"/> [batch, length] into <paramref name="y"/>: complex [batch, bins, frames, 2] scaled by
    /// <paramref name="scale"/> (interior bins doubled and end bins made real when <paramref name="hermitianAdjoint"/>), or
    /// |X|^<paramref name="exponent"/> [batch, bins, frames].</summary>
    public static void Analyze<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> window, Span<T> y, in StftGeometry g, SpectrumOutput output,
        double exponent = 2, double scale = 1, bool hermitianAdjoint = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        fixed (T* pw = window)
        fixed (T* py = y)
            Run(new Args<T>(Mode.Analyze, px, pw, null, py, g, output, exponent, scale, hermitianAdjoint));
    }

    /// <summary>|X|^<paramref name="exponent"/> projected onto rows (mel bands) inside the kernel, tile by tile:
    /// y[b, m, t] = Σ_k W[k, m]·|X[b, k, t]|^p, [batch, rows, frames]. The power spectrum never goes to memory.</summary>
    public static void AnalyzeProjected<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> window, Span<T> y, in StftGeometry g, double exponent,
        BandProjection<T> projection) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        fixed (T* pw = window)
        fixed (T* py = y)
            Run(new Args<T>(Mode.Analyze, px, pw, null, py, g, SpectrumOutput.Power, exponent, 1, false, projection));
    }

    /// <summary>Windowed frames [batch, frames, N] from a complex spectrum [batch, bins, frames, 2]:
    /// f_t[n] = scale·w[n]·Re Σₖ Y_t[k]·e^{+2πikn/N}, with one-sided interior bins halved first when <paramref name="halveInterior"/>
    /// (the adjoint of complex analysis).</summary>
    public static void SynthesizeComplex<T>(ReadOnlySpan<T> spectrum, ReadOnlySpan<T> window, Span<T> frames, in StftGeometry g,
        double scale, bool halveInterior) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* ps = spectrum)
        fixed (T* pw = window)
        fixed (T* pf = frames)
            Run(new Args<T>(Mode.SynthesizeComplex, null, pw, ps, pf, g, SpectrumOutput.Complex, 0, scale, halveInterior));
    }

    /// <summary>The adjoint of |X|^p analysis: windowed frame gradients [batch, frames, N] from ∂L/∂|X|^p [batch, bins, frames],
    /// recomputing X from <paramref name="x"/>: ∂L/∂X = ∂L/∂P · p·|X|^{p−2}·X (0 where X = 0 and p &lt; 2).</summary>
    /// <remarks>With a <paramref name="projection"/>, <paramref name="gradPower"/> is ∂L/∂y [batch, rows, frames] of
    /// <see cref="AnalyzeProjected{T}"/>, and ∂L/∂P[k] = Σ_m W[k, m]·∂L/∂y[m] is formed per tile.</remarks>
    public static void SynthesizePower<T>(ReadOnlySpan<T> gradPower, ReadOnlySpan<T> x, ReadOnlySpan<T> window, Span<T> frames,
        in StftGeometry g, double exponent, BandProjection<T>? projection = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pg = gradPower)
        fixed (T* px = x)
        fixed (T* pw = window)
        fixed (T* pf = frames)
            Run(new Args<T>(Mode.SynthesizePower, px, pw, pg, pf, g, SpectrumOutput.Power, exponent, 1, true, projection));
    }

    /// <summary>signal[b, j] = Σ_t frames[b, t, j − t·hop] over frames covering j (0 elsewhere), j &lt; <paramref name="signalLength"/>.</summary>
    public static void OverlapAdd<T>(ReadOnlySpan<T> frames, Span<T> signal, int batch, int frameCount, int nFft, int hop, int signalLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        signal[..(batch * signalLength)].Clear();
        for (int b = 0; b < batch; b++)
        {
            var row = signal.Slice(b * signalLength, signalLength);
            for (int t = 0; t < frameCount; t++)
            {
                int start = t * hop, count = Math.Min(nFft, signalLength - start);
                if (count <= 0) break;
                var frame = frames.Slice((b * frameCount + t) * nFft, count);
                var target = row.Slice(start, count);
                System.Numerics.Tensors.TensorPrimitives.Add(target, frame, target);
            }
        }
    }

    /// <summary>The adjoint of padding: dx[b, i] = Σ over padded positions j &lt; <see cref="StftGeometry.Covered"/> that read
    /// sample i of padded[b, j] (padded rows hold <paramref name="paddedLength"/> values).</summary>
    public static void FoldPadding<T>(ReadOnlySpan<T> padded, int paddedLength, Span<T> dx, in StftGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        dx[..(g.Batch * g.Length)].Clear();
        int covered = Math.Min(g.Covered, paddedLength);
        for (int b = 0; b < g.Batch; b++)
        {
            var row = padded.Slice(b * paddedLength, paddedLength);
            var target = dx.Slice(b * g.Length, g.Length);
            for (int j = 0; j < covered; j++)
            {
                int s = g.Source(j - g.PadLeft);
                if (s >= 0) target[s] += row[j];
            }
        }
    }

    private static void Run<T>(Args<T> args) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = args.Geometry;
        if (g.Batch == 0 || g.Frames == 0) return;
        if (typeof(T) == typeof(float))
        {
            var a = Unsafe.As<Args<T>, Args<float>>(ref args);
            if (KernelOptions.Avx512Enabled) Run<Vector512Lane, Vector512<float>, float>(a);
            else if (KernelOptions.Avx2Enabled) Run<Vector256Lane, Vector256<float>, float>(a);
            else Run<ScalarLane<float>, float, float>(a);
        }
        else
        {
            Run<ScalarLane<double>, double, double>(Unsafe.As<Args<T>, Args<double>>(ref args));
        }
    }

    private static void Run<TL, TV, T>(in Args<T> args)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = args.Geometry;
        var real = RealFftPlan<T>.Get(g.NFft);
        var full = FftPlan<T>.Get(g.NFft);
        int tiles = (g.Frames + TL.Width - 1) / TL.Width;
        var job = new Job<TL, TV, T>(args, real.Handle, full.Handle, tiles);
        RangeParallel.Run(job, g.Batch * tiles, (long)TL.Width * g.NFft * 16);
    }

    private readonly struct Args<T>(Mode mode, T* signal, T* window, T* source, T* destination, StftGeometry geometry,
        SpectrumOutput output, double exponent, double scale, bool flag, BandProjection<T>? projection = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly Mode Mode = mode;
        public readonly T* Signal = signal;
        public readonly T* Window = window;
        public readonly T* Source = source;
        public readonly T* Destination = destination;
        public readonly StftGeometry Geometry = geometry;
        public readonly SpectrumOutput Output = output;
        public readonly double Exponent = exponent;
        public readonly double Scale = scale;
        /// <summary>Analyze: Hermitian adjoint scaling; synthesis: halve interior bins.</summary>
        public readonly bool Flag = flag;
        /// <summary>The band projection's rows (0: none) and arrays (see <see cref="BandProjection{T}"/>).</summary>
        public readonly int Rows = projection?.Rows ?? 0;
        public readonly T* Weights = projection is null ? null : projection.Weights;
        public readonly int* BandStart = projection is null ? null : projection.Start;
        public readonly int* BandCount = projection is null ? null : projection.Count;
        public readonly int* BandOffset = projection is null ? null : projection.Offset;
    }

    private readonly struct Job<TL, TV, T>(Args<T> args, GCHandle realPlan, GCHandle fullPlan, int tilesPerRow) : IRangeJob
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static int W => TL.Width;

        public void Run(int start, int end)
        {
            var g = args.Geometry;
            var real = RealFftPlan<T>.From(realPlan);
            var full = FftPlan<T>.From(fullPlan);
            int n = g.NFft;
            int z = Math.Max(real.Complex.Length, n), work = Math.Max(real.Complex.WorkLength, full.WorkLength), rows = Math.Max(args.Rows, 1);
            int total = 4 * z + work + rows;
            var buffer = ArrayPool<T>.Shared.Rent(total * W);
            try
            {
                var lanes = MemoryMarshal.Cast<T, TV>(buffer.AsSpan(0, total * W));
                var s = new Scratch(lanes[..z], lanes.Slice(z, z), lanes.Slice(2 * z, z), lanes.Slice(3 * z, z), lanes.Slice(4 * z, work), lanes.Slice(4 * z + work, rows));
                for (int tile = start; tile < end; tile++)
                {
                    int b = tile / tilesPerRow, t0 = tile % tilesPerRow * W;
                    int count = Math.Min(W, g.Frames - t0);
                    switch (args.Mode)
                    {
                        case Mode.Analyze:
                            Spectrum(real, b, t0, count, s);
                            if (args.Output == SpectrumOutput.Complex) WriteComplex(b, t0, count, s);
                            else WritePower(b, t0, count, s);
                            break;
                        case Mode.SynthesizeComplex:
                            ReadComplex(b, t0, count, s);
                            Frames(real, full, b, t0, count, s);
                            break;
                        default:
                            Spectrum(real, b, t0, count, s);
                            PowerGradient(b, t0, count, s);
                            Frames(real, full, b, t0, count, s);
                            break;
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(buffer);
            }
        }

        /// <summary>Scratch lanes: z (packed signal / FFT work values) and x (the spectrum), each real and imaginary, FFT work,
        /// and one vector per projected row.</summary>
        private readonly ref struct Scratch(Span<TV> zr, Span<TV> zi, Span<TV> xr, Span<TV> xi, Span<TV> work, Span<TV> rows)
        {
            public readonly Span<TV> Zr = zr, Zi = zi, Xr = xr, Xi = xi, Work = work, Rows = rows;
        }

        private static Span<T> Scalars(Span<TV> lanes) => MemoryMarshal.Cast<TV, T>(lanes);

        /// <summary>The spectrum of frames t0 … t0 + count − 1 of row b into (Xr, Xi): bins [0, N/2], or all N two-sided.</summary>
        private void Spectrum(RealFftPlan<T> real, int b, int t0, int count, in Scratch s)
        {
            var g = args.Geometry;
            int n = g.NFft;
            Span<T> zr = Scalars(s.Zr), zi = Scalars(s.Zi);
            T* x = args.Signal + (long)b * g.Length;
            int start = t0 * g.Hop - g.PadLeft, end = (t0 + W - 1) * g.Hop - g.PadLeft + n;
            if (count == W && start >= 0 && end <= g.Length && W > 1) GatherInterior(real, x + start, s);
            else for (int l = 0; l < W; l++)
            {
                if (l >= count)
                {
                    for (int m = 0; m < real.Complex.Length; m++) { zr[m * W + l] = T.Zero; zi[m * W + l] = T.Zero; }
                    continue;
                }
                int first = (t0 + l) * g.Hop - g.PadLeft;
                bool inside = first >= 0 && first + n <= g.Length;
                if (real.IsEven)
                {
                    for (int m = 0; m < n / 2; m++)
                    {
                        zr[m * W + l] = Sample(x, first + 2 * m, inside) * args.Window[2 * m];
                        zi[m * W + l] = Sample(x, first + 2 * m + 1, inside) * args.Window[2 * m + 1];
                    }
                }
                else
                {
                    for (int m = 0; m < n; m++)
                    {
                        zr[m * W + l] = Sample(x, first + m, inside) * args.Window[m];
                        zi[m * W + l] = T.Zero;
                    }
                }
            }
            FftLanes.Forward<TL, TV, T>(real.Complex, s.Zr, s.Zi, s.Work);
            if (real.IsEven)
            {
                real.Split<TL, TV>(s.Zr, s.Zi, s.Xr, s.Xi);
                if (!g.Onesided)
                    for (int k = n / 2 + 1; k < n; k++)
                    {
                        s.Xr[k] = s.Xr[n - k];
                        s.Xi[k] = TL.Sub(TL.Splat(T.Zero), s.Xi[n - k]);
                    }
            }
            else
            {
                int bins = g.Bins;
                s.Zr[..bins].CopyTo(s.Xr);
                s.Zi[..bins].CopyTo(s.Xi);
            }
        }

        /// <summary>A full tile of frames inside the signal: sample n of every frame in one strided gather, times w[n]
        /// (skipped where the window is zero), packed as z[m] = x[2m] + i·x[2m+1] for even N.</summary>
        private void GatherInterior(RealFftPlan<T> real, T* first, in Scratch s)
        {
            int n = args.Geometry.NFft, hop = args.Geometry.Hop;
            T* w = args.Window;
            TV zero = TL.Splat(T.Zero);
            if (real.IsEven)
            {
                for (int m = 0; m < n / 2; m++)
                {
                    T we = w[2 * m], wo = w[2 * m + 1];
                    s.Zr[m] = we == T.Zero ? zero : TL.Mul(TL.Gather(first + 2 * m, hop), TL.Splat(we));
                    s.Zi[m] = wo == T.Zero ? zero : TL.Mul(TL.Gather(first + 2 * m + 1, hop), TL.Splat(wo));
                }
            }
            else
            {
                for (int m = 0; m < n; m++)
                {
                    s.Zr[m] = w[m] == T.Zero ? zero : TL.Mul(TL.Gather(first + m, hop), TL.Splat(w[m]));
                    s.Zi[m] = zero;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private T Sample(T* x, int i, bool inside)
        {
            if (inside) return x[i];
            int s = args.Geometry.Source(i);
            return s < 0 ? T.Zero : x[s];
        }

        private void WriteComplex(int b, int t0, int count, in Scratch s)
        {
            var g = args.Geometry;
            int bins = g.Bins, n = g.NFft;
            Span<T> xr = Scalars(s.Xr), xi = Scalars(s.Xi);
            T scale = T.CreateTruncating(args.Scale), two = scale + scale;
            for (int k = 0; k < bins; k++)
            {
                // Hermitian adjoint: an interior bin stands for itself and its mirror; the ends are real.
                bool end = k == 0 || 2 * k == n;
                T f = args.Flag && !end ? two : scale;
                T fi = args.Flag && end ? T.Zero : f;
                T* dst = args.Destination + 2 * ((long)(b * bins + k) * g.Frames + t0);
                for (int l = 0; l < count; l++)
                {
                    dst[2 * l] = f * xr[k * W + l];
                    dst[2 * l + 1] = fi * xi[k * W + l];
                }
            }
        }

        private void WritePower(int b, int t0, int count, in Scratch s)
        {
            var g = args.Geometry;
            int bins = g.Bins;
            double p = args.Exponent;
            for (int k = 0; k < bins; k++)
            {
                TV power = TL.MulAdd(s.Xr[k], s.Xr[k], TL.Mul(s.Xi[k], s.Xi[k]));
                if (p == 1) power = TL.Sqrt(power);
                s.Zr[k] = power;
            }
            Span<T> values = Scalars(s.Zr);
            if (p != 1 && p != 2)
            {
                T half = T.CreateTruncating(p / 2);
                for (int i = 0; i < bins * W; i++) values[i] = T.Pow(values[i], half);
            }
            if (args.Rows > 0)
            {
                // y[m] = Σ over row m's band of W[k, m]·P[k], every lane at once.
                for (int m = 0; m < args.Rows; m++)
                {
                    T* w = args.Weights + args.BandOffset[m];
                    int first = args.BandStart[m], length = args.BandCount[m];
                    TV sum = TL.Splat(T.Zero);
                    for (int j = 0; j < length; j++) sum = TL.MulAdd(TL.Splat(w[j]), s.Zr[first + j], sum);
                    s.Rows[m] = sum;
                }
                Store(s.Rows[..args.Rows], b * args.Rows, t0, count);
                return;
            }
            Store(s.Zr[..bins], b * bins, t0, count);
        }

        /// <summary>Row r of <paramref name="lanes"/> to destination row firstRow + r, frames t0 … t0 + count − 1.</summary>
        private void Store(Span<TV> lanes, int firstRow, int t0, int count)
        {
            int frames = args.Geometry.Frames;
            Span<T> values = Scalars(lanes);
            for (int r = 0; r < lanes.Length; r++)
            {
                T* dst = args.Destination + (long)(firstRow + r) * frames + t0;
                if (count == W) TL.Store(lanes[r], dst);
                else values.Slice(r * W, count).CopyTo(new Span<T>(dst, count));
            }
        }

        private void ReadComplex(int b, int t0, int count, in Scratch s)
        {
            var g = args.Geometry;
            int bins = g.Bins, n = g.NFft;
            Span<T> xr = Scalars(s.Xr), xi = Scalars(s.Xi);
            T half = T.CreateTruncating(0.5);
            for (int k = 0; k < bins; k++)
            {
                T f = args.Flag && g.Onesided && k != 0 && 2 * k != n ? half : T.One;
                T* src = args.Source + 2 * ((long)(b * bins + k) * g.Frames + t0);
                for (int l = 0; l < W; l++)
                {
                    xr[k * W + l] = l < count ? f * src[2 * l] : T.Zero;
                    xi[k * W + l] = l < count ? f * src[2 * l + 1] : T.Zero;
                }
            }
        }

        /// <summary>(Xr, Xi) ← ∂L/∂X = ∂L/∂P·p·|X|^{p−2}·X, halved for interior bins (the adjoint of the one-sided analysis).</summary>
        private void PowerGradient(int b, int t0, int count, in Scratch s)
        {
            var g = args.Geometry;
            int bins = g.Bins, n = g.NFft;
            Span<T> xr = Scalars(s.Xr), xi = Scalars(s.Xi), projected = Scalars(s.Zr);
            double p = args.Exponent;
            if (args.Rows > 0)
            {
                // ∂L/∂P[k] = Σ_m W[k, m]·∂L/∂y[m], into Zr, every lane at once.
                s.Zr[..bins].Fill(TL.Splat(T.Zero));
                Span<T> row = Scalars(s.Rows[..1]);
                for (int m = 0; m < args.Rows; m++)
                {
                    T* dy = args.Source + (long)(b * args.Rows + m) * g.Frames + t0;
                    for (int l = 0; l < W; l++) row[l] = l < count ? dy[l] : T.Zero;
                    TV gradient = s.Rows[0];
                    T* w = args.Weights + args.BandOffset[m];
                    int first = args.BandStart[m], length = args.BandCount[m];
                    for (int j = 0; j < length; j++) s.Zr[first + j] = TL.MulAdd(TL.Splat(w[j]), gradient, s.Zr[first + j]);
                }
            }
            for (int k = 0; k < bins; k++)
            {
                T* dp = args.Source + (long)(b * bins + k) * g.Frames + t0;
                double f = g.Onesided && k != 0 && 2 * k != n ? 0.5 : 1;
                for (int l = 0; l < W; l++)
                {
                    int i = k * W + l;
                    double re = double.CreateTruncating(xr[i]), im = double.CreateTruncating(xi[i]);
                    double coef = 0;
                    if (l < count)
                    {
                        double d = double.CreateTruncating(args.Rows > 0 ? projected[i] : dp[l]);
                        double sq = re * re + im * im;
                        coef = p == 2 ? 2 * d : sq == 0 ? 0 : d * p * Math.Pow(sq, p / 2 - 1);
                    }
                    xr[i] = T.CreateTruncating(f * coef * re);
                    xi[i] = T.CreateTruncating(f * coef * im);
                }
            }
        }

        /// <summary>Windowed frames from (Xr, Xi): f_t[n] = scale·w[n]·Re Σₖ X_t[k]·e^{+2πikn/N}.</summary>
        private void Frames(RealFftPlan<T> real, FftPlan<T> full, int b, int t0, int count, in Scratch s)
        {
            var g = args.Geometry;
            int n = g.NFft;
            Span<T> zr = Scalars(s.Zr), zi = Scalars(s.Zi);
            bool packed = g.Onesided && real.IsEven;
            if (packed)
            {
                real.Merge<TL, TV>(s.Xr, s.Xi, s.Zr, s.Zi);
                FftLanes.InverseUnnormalized<TL, TV, T>(real.Complex, s.Zr, s.Zi, s.Work);
            }
            else
            {
                // Re Σ Y e^{+iθ} = Re FFT(conj Y): fill conj of the (completed) spectrum and run the forward transform.
                var zero = TL.Splat(T.Zero);
                if (g.Onesided)
                {
                    int h = (n - 1) / 2;
                    s.Zr[0] = s.Xr[0];
                    s.Zi[0] = zero;
                    for (int k = 1; k <= h; k++)
                    {
                        s.Zr[k] = s.Xr[k];
                        s.Zi[k] = TL.Sub(zero, s.Xi[k]);
                        s.Zr[n - k] = s.Xr[k];
                        s.Zi[n - k] = s.Xi[k];
                    }
                }
                else
                {
                    for (int k = 0; k < n; k++)
                    {
                        s.Zr[k] = s.Xr[k];
                        s.Zi[k] = TL.Sub(zero, s.Xi[k]);
                    }
                }
                FftLanes.Forward<TL, TV, T>(g.Onesided ? real.Complex : full, s.Zr, s.Zi, s.Work);
            }
            T scale = T.CreateTruncating(args.Scale);
            for (int l = 0; l < count; l++)
            {
                T* dst = args.Destination + (long)(b * g.Frames + t0 + l) * n;
                if (packed)
                    for (int m = 0; m < n / 2; m++)
                    {
                        dst[2 * m] = scale * args.Window[2 * m] * zr[m * W + l];
                        dst[2 * m + 1] = scale * args.Window[2 * m + 1] * zi[m * W + l];
                    }
                else
                    for (int m = 0; m < n; m++) dst[m] = scale * args.Window[m] * zr[m * W + l];
            }
        }
    }
}
