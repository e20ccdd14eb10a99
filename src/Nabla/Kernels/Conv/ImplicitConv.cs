using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nabla.Kernels.Gemm;

namespace Nabla.Kernels.Conv;

/// <summary>
/// Float32 strided convolution and transposed convolution as implicit GEMMs (<see cref="SgemmImplicit"/>): the same
/// products as <see cref="ConvKernel"/>, with the column matrix gathered from zero-padded images while the GEMM
/// packs its panels (<see cref="ColumnPanels"/>) and outputs stored straight into the images (<see cref="ImageTiles"/>);
/// col2im(Wᵀ·X), the input gradient and the transposed forward, runs phase by phase (<see cref="PhaseTransposedConv"/>).
/// </summary>
/// <remarks>
/// For the DCGAN discriminator's 64 → 128 layer the column matrix is 1024 × 3136 floats (12.8 MB): written by
/// im2col, it left the 1 MB L2 and came back from memory when the GEMM packed it, and dcols made the same round trip
/// through col2im. The padded input is 4 MB and the gathers read it from cache. Work is split by images (each part
/// pads and multiplies its own images) except for the weight gradient, a sum over all images, which is split by
/// blocks of 16 of its columns (of its rows when it has too few columns to go round). Biases are added by
/// <see cref="ConvKernel"/>.
/// </remarks>
internal static unsafe class ImplicitConv
{
    /// <summary>Whether the implicit path runs this geometry: float32 with SIMD, a horizontal stride above 1 (where
    /// im2col is a gather of short runs), and padded images small enough for 32-bit offsets.</summary>
    public static bool Applies<T>(in ConvGeometry g, int n)
    {
        if (typeof(T) != typeof(float) || KernelOptions.X86Level == SimdLevel.Scalar || !StridedIm2Col.Applies(g)) return false;
        long imageStride = Math.Max(new PaddedImages(g).ImageStride, new PaddedImages(g, phased: true).ImageStride);
        return n * imageStride < int.MaxValue;
    }

    /// <summary>Convolution forward without the bias, y [N, G·Mg, P] = conv(x) (see <see cref="ConvKernel.Forward"/>).</summary>
    public static void Forward(float* x, float* w, float* y, int n, int groups, int outChannels, in ConvGeometry g)
    {
        int mg = outChannels / groups, kg = g.ColRows, p = g.ColCols, plane = g.Channels * g.Height * g.Width;
        using var work = new Workspace(g, n, padded: true, extra: 0, phased: true);
        for (int grp = 0; grp < groups; grp++)
            Product(work, x + (nint)grp * plane, groups * plane, w + (nint)grp * mg * kg, mg, y, outChannels * p, grp * mg, g, n);
    }

    /// <summary>Convolution backward (see <see cref="ConvKernel.Backward"/>): dx and dw, both overwritten, either may be
    /// null; x is read only for dw.</summary>
    public static void Backward(float* x, float* w, float* dy, float* dx, float* dw, int n, int groups, int outChannels, in ConvGeometry g)
    {
        int mg = outChannels / groups, kg = g.ColRows, p = g.ColCols, np = n * p, plane = g.Channels * g.Height * g.Width;
        using var work = new Workspace(g, n, padded: dw is not null, extra: PhaseTransposedConv.Pays(g) ? 0 : mg * np);
        for (int grp = 0; grp < groups; grp++)
        {
            if (dw is not null)
            {
                var pad = new PadJob { Layout = work.Layout, Images = x + (nint)grp * plane, ImageStride = groups * plane, Pad = work.Pad };
                RangeParallel.Run(pad, n, (long)plane);
                var job = new WeightGradientJob
                {
                    Level = KernelOptions.X86Level, A = dy + (nint)grp * mg * p, M = mg, K = np, P = p, ImageStride = outChannels * p,
                    Pad = work.Pad, Rows = work.Rows, Columns = work.Columns, Output = dw + (nint)grp * mg * kg, N = kg,
                };
                RunWeightGradient(ref job);   // dW_g = dY_g · cols_gᵀ, dY_g read in place
            }
            if (dx is not null)   // dx = col2im(W_gᵀ · dY_g)
                Col2Im(dy, outChannels, grp * mg, mg, w + (nint)grp * mg * kg, dx + (nint)grp * plane, groups * plane, g, n, work.Extra);
        }
    }

    /// <summary>Transposed convolution forward without the bias (see <see cref="ConvKernel.TransposedForward"/>; y is
    /// overwritten). <paramref name="g"/> describes the output image.</summary>
    public static void TransposedForward(float* x, float* w, float* y, int n, int groups, int inChannels, in ConvGeometry g)
    {
        int kg = g.ColRows, cg = inChannels / groups, p = g.ColCols, outPlane = g.Channels * g.Height * g.Width;
        using var work = new Workspace(g, n, padded: false, extra: PhaseTransposedConv.Pays(g) ? 0 : cg * n * p);
        for (int grp = 0; grp < groups; grp++)   // y = col2im(W_gᵀ · X_g)
            Col2Im(x, inChannels, grp * cg, cg, w + (nint)grp * cg * kg, y + (nint)grp * outPlane, groups * outPlane, g, n, work.Extra);
    }

    /// <summary>Transposed convolution backward without the bias (see <see cref="ConvKernel.TransposedBackward"/>):
    /// dx = W·im2col(dy), dw = X·im2col(dy)ᵀ; either may be null.</summary>
    public static void TransposedBackward(float* x, float* w, float* dy, float* dx, float* dw, int n, int groups, int inChannels, in ConvGeometry g)
    {
        int kg = g.ColRows, cg = inChannels / groups, p = g.ColCols, np = n * p, outPlane = g.Channels * g.Height * g.Width;
        int imageStride = groups * outPlane;
        if (dx is not null)
        {
            using var work = new Workspace(g, n, padded: true, extra: 0, phased: true);
            for (int grp = 0; grp < groups; grp++)   // dX_g = W_g · cols_g, padding dy on the way
                Product(work, dy + (nint)grp * outPlane, imageStride, w + (nint)grp * cg * kg, cg, dx, inChannels * p, grp * cg, g, n);
        }
        if (dw is null) return;
        using (var work = new Workspace(g, n, padded: true, extra: 0))
            for (int grp = 0; grp < groups; grp++)
            {
                var pad = new PadJob { Layout = work.Layout, Images = dy + (nint)grp * outPlane, ImageStride = imageStride, Pad = work.Pad };
                RangeParallel.Run(pad, n, (long)outPlane);
                var job = new WeightGradientJob
                {
                    Level = KernelOptions.X86Level, A = x + (nint)grp * cg * p, M = cg, K = np, P = p, ImageStride = inChannels * p,
                    Pad = work.Pad, Rows = work.Rows, Columns = work.Columns, Output = dw + (nint)grp * cg * kg, N = kg,
                };
                RunWeightGradient(ref job);   // dW_g = X_g · cols_gᵀ, X_g read in place
            }
    }

    /// <summary>Output channels [first, first + m) of every image = W_g · cols(images), W_g [m, Kg] row-major, cols
    /// gathered from the group's images padded into <paramref name="work"/> (phased): the forward's product, also the
    /// transposed convolution's input gradient.</summary>
    private static void Product(in Workspace work, float* images, int imageStride, float* w, int m, float* output,
        int outputStride, int first, in ConvGeometry g, int n)
    {
        int kg = g.ColRows, p = g.ColCols;
        using var a = PackedA.Of(KernelOptions.X86Level, m, kg, new DenseRows(false, w, kg));
        var job = new ForwardJob
        {
            Level = KernelOptions.X86Level, Layout = work.Layout, Images = images, ImageStride = imageStride,
            Pad = work.Pad, Rows = work.Rows, Columns = work.Columns, PackedA = a.Pointer, M = m, K = kg,
            Output = output, OutputStride = outputStride, First = first, P = p,
        };
        RangeParallel.RunInParts(job, n, (long)m * kg * p, job.Grain);
    }

    /// <summary>images = col2im(W_gᵀ · X_g) for one group, X_g = channels [first, first + count) of x [N, channels, P]
    /// and W_g [count, Kg] row-major: by output phase (<see cref="PhaseTransposedConv"/>) when the images have a
    /// register tile's worth of channels, else as one product W_gᵀ·X_g [Kg, N·P] folded a few images at a time
    /// (<see cref="FoldJob"/>), whose Kg = C·kH·kW rows fill the tiles that a phase's C rows would leave mostly
    /// empty (a one-channel image's phase GEMM runs one FMA chain per k step).</summary>
    /// <remarks><paramref name="wide"/> has room for X_g [count, N·P] when the fold runs.</remarks>
    private static void Col2Im(float* x, int channels, int first, int count, float* w, float* images, int imageStride,
        in ConvGeometry g, int n, float* wide)
    {
        int p = g.ColCols, kg = g.ColRows, plane = g.Channels * g.Height * g.Width;
        if (PhaseTransposedConv.Pays(g))
        {
            PhaseTransposedConv.Run(x + (nint)first * p, channels * p, count, w, images, imageStride, g, n);
            return;
        }
        for (int img = 0; img < n; img++) new Span<float>(images + (nint)img * imageStride, plane).Clear();   // the fold adds into them
        GatherChannels(x, wide, n, channels, first, count, p);
        var job = new FoldJob
        {
            Level = KernelOptions.X86Level, Geometry = g, A = w, M = kg, K = count,
            B = wide, Ldb = n * p, P = p, Images = images, ImageStride = imageStride,
        };
        RangeParallel.Run(job, n, (long)count * kg * p);
    }

    private static void RunWeightGradient(ref WeightGradientJob job)
    {
        int blocks = job.Blocks(KernelOptions.MaxThreads);
        RangeParallel.Run(job, blocks, 16L * (job.ByRows ? job.N : job.M) * job.K);
    }

    /// <summary>wide [count, N·P] ← channels first … of x [N, channels, P] (<see cref="ConvKernel.GatherChannels"/>).</summary>
    private static void GatherChannels(float* x, float* wide, int n, int channels, int first, int count, int p) =>
        ConvKernel.GatherChannels(new ReadOnlySpan<float>(x, n * channels * p), new Span<float>(wide, count * n * p), n, channels, first, count, p);

    /// <summary>Floats of op(A) packed for the micro-kernel of <paramref name="level"/>.</summary>
    internal static int PackedALength(SimdLevel level, int m, int k) => level == SimdLevel.Avx512
        ? SgemmImplicit.PackedALength<SgemmKernelAvx512>(m, k) : SgemmImplicit.PackedALength<SgemmKernelAvx2>(m, k);

    /// <summary>Packs an m × k A for the micro-kernel of <paramref name="level"/> (see
    /// <see cref="SgemmImplicit.PackA{TKernel, TRows}"/>).</summary>
    internal static void PackA<TRows>(SimdLevel level, int m, int k, ref TRows rows, float* packed) where TRows : struct, IPackRows
    {
        if (level == SimdLevel.Avx512) SgemmImplicit.PackA<SgemmKernelAvx512, TRows>(m, k, ref rows, packed);
        else SgemmImplicit.PackA<SgemmKernelAvx2, TRows>(m, k, ref rows, packed);
    }

    /// <summary>C = op(A)·B through the micro-kernel of the SIMD level the caller's thread chose.</summary>
    internal static void Multiply<TSource, TSink>(SimdLevel level, int m, int n, int k, float* packedA, ref TSource b, ref TSink c)
        where TSource : struct, IPanelSource where TSink : struct, ITileSink
    {
        if (level == SimdLevel.Avx512) SgemmImplicit.Multiply<SgemmKernelAvx512, TSource, TSink>(m, n, k, packedA, ref b, ref c);
        else SgemmImplicit.Multiply<SgemmKernelAvx2, TSource, TSink>(m, n, k, packedA, ref b, ref c);
    }

    /// <summary>An A packed once for one call's or one part's GEMMs, in a rented buffer pinned for the scope.</summary>
    private readonly ref struct PackedA
    {
        private readonly float[] _buffer;
        private readonly GCHandle _handle;

        private PackedA(SimdLevel level, int m, int k)
        {
            _buffer = ArrayPool<float>.Shared.Rent(PackedALength(level, m, k));
            _handle = GCHandle.Alloc(_buffer, GCHandleType.Pinned);
            Pointer = (float*)_handle.AddrOfPinnedObject();
        }

        public float* Pointer { get; }

        /// <summary>The m × k A of <paramref name="rows"/>, packed for the micro-kernel of <paramref name="level"/>.</summary>
        public static PackedA Of<TRows>(SimdLevel level, int m, int k, TRows rows) where TRows : struct, IPackRows
        {
            var packed = new PackedA(level, m, k);
            PackA(level, m, k, ref rows, packed.Pointer);
            return packed;
        }

        public void Dispose()
        {
            _handle.Free();
            ArrayPool<float>.Shared.Return(_buffer);
        }
    }

    /// <summary>The padded images, the offset tables and an optional extra buffer, rented and pinned for one call.</summary>
    private readonly struct Workspace : IDisposable
    {
        // PanelGather reads 32-float windows that may start at the last element.
        private const int WindowSlack = 32;

        private readonly float[] _pad, _extra;
        private readonly int[] _tables;
        private readonly GCHandle _padHandle, _tablesHandle, _extraHandle;

        /// <param name="g">The geometry.</param>
        /// <param name="n">Images.</param>
        /// <param name="padded">Whether the call gathers from padded images (and needs them and the offset tables).</param>
        /// <param name="extra">Floats of the extra buffer (a gathered [C, N·P] operand), 0 for none.</param>
        /// <param name="phased">Whether the padded images use the phased layout (for the forward's gather).</param>
        public Workspace(in ConvGeometry g, int n, bool padded, int extra, bool phased = false)
        {
            Layout = new PaddedImages(g, phased);
            _pad = ArrayPool<float>.Shared.Rent(padded ? n * Layout.ImageStride + WindowSlack : 1);
            _tables = ArrayPool<int>.Shared.Rent(padded ? g.ColRows + n * g.ColCols : 1);
            _extra = ArrayPool<float>.Shared.Rent(Math.Max(1, extra));
            _padHandle = GCHandle.Alloc(_pad, GCHandleType.Pinned);
            _tablesHandle = GCHandle.Alloc(_tables, GCHandleType.Pinned);
            _extraHandle = GCHandle.Alloc(_extra, GCHandleType.Pinned);
            Pad = (float*)_padHandle.AddrOfPinnedObject();
            Rows = (int*)_tablesHandle.AddrOfPinnedObject();
            Columns = padded ? Rows + g.ColRows : null;
            Extra = (float*)_extraHandle.AddrOfPinnedObject();
            if (!padded) return;
            Layout.RowOffsets(Rows);
            Layout.ColumnOffsets(Columns, n);
        }

        public PaddedImages Layout { get; }
        public float* Pad { get; }
        public int* Rows { get; }
        public int* Columns { get; }
        public float* Extra { get; }

        public void Dispose()
        {
            _padHandle.Free();
            _tablesHandle.Free();
            _extraHandle.Free();
            ArrayPool<float>.Shared.Return(_pad);
            ArrayPool<int>.Shared.Return(_tables);
            ArrayPool<float>.Shared.Return(_extra);
        }
    }

    /// <summary>Pads images [start, end).</summary>
    private struct PadJob : IRangeJob
    {
        public PaddedImages Layout;
        public float* Images, Pad;
        public int ImageStride;

        public readonly void Run(int start, int end) => Layout.Fill(Images, ImageStride, Pad, start, end);
    }

    /// <summary>For images [start, end), a few at a time: pad them, then C = A·cols (A packed by the caller) into their
    /// output planes. The chunk's padded images (about 256 KB) stay in cache while the GEMM gathers from them.</summary>
    private struct ForwardJob : IRangeJob
    {
        private const int ChunkFloats = 1 << 16;

        public SimdLevel Level;
        public PaddedImages Layout;
        public float* Images, Pad, PackedA, Output;
        public int* Rows, Columns;
        public int ImageStride, M, K, OutputStride, First, P;

        /// <summary>Images a part pads and multiplies at a time.</summary>
        public readonly int Grain => Math.Max(1, ChunkFloats / Layout.ImageStride);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            int chunk = Math.Min(Grain, end - start);
            for (int first = start; first < end; first += chunk)
            {
                int last = Math.Min(end, first + chunk);
                Layout.Fill(Images, ImageStride, Pad, first, last);
                var source = new ColumnPanels(Pad, Rows, Columns + (nint)first * P, Level == SimdLevel.Avx512);
                var sink = new ImageTiles(Output + (nint)first * OutputStride, OutputStride, First, P, Level == SimdLevel.Avx512);
                Multiply(Level, M, (last - first) * P, K, PackedA, ref source, ref sink);
            }
        }
    }

    /// <summary>For images [start, end): adds col2im(Aᵀ·B) into their planes, B [K, N·P] row-major, A [K, M]
    /// row-major (the weights). The transposed product for images of fewer channels than a register tile has rows
    /// (see <see cref="Col2Im"/>).</summary>
    /// <remarks>The column-matrix gradient is formed a few images at a time in a buffer that stays in cache (about
    /// 1 MB) and folded from there by <see cref="StridedIm2Col.FoldImages"/>: a scatter-add from each GEMM tile
    /// measured 2.5× slower, its neighbouring taps adding into the same pixels back to back.</remarks>
    private struct FoldJob : IRangeJob
    {
        private const int ChunkFloats = 1 << 18;

        public SimdLevel Level;
        public ConvGeometry Geometry;
        public float* A, B, Images;
        public int M, K, Ldb, P, ImageStride;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            using var a = PackedA.Of(Level, M, K, new DenseRows(true, A, M));
            int chunk = Math.Clamp(ChunkFloats / (M * P), 1, end - start);
            float[] columns = ArrayPool<float>.Shared.Rent(M * chunk * P);
            float[] scratch = ArrayPool<float>.Shared.Rent(StridedIm2Col.FoldScratchLength(Geometry));
            try
            {
                fixed (float* dcols = columns, pad = scratch)
                    for (int first = start; first < end; first += chunk)
                    {
                        int count = Math.Min(chunk, end - first), width = count * P;
                        var source = new DensePanels(B + (nint)first * P, Ldb);
                        var sink = new DenseTiles(dcols, width);
                        Multiply(Level, M, width, K, a.Pointer, ref source, ref sink);
                        StridedIm2Col.FoldImages(dcols, width, Geometry, Images + (nint)first * ImageStride, ImageStride, count, pad);
                    }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(columns);
                ArrayPool<float>.Shared.Return(scratch);
            }
        }
    }

    /// <summary>dW = A · colsᵀ, dW [M, N] row-major, for blocks [start, end) of 16 columns of dW, or of 16 rows when
    /// <see cref="ByRows"/> (a narrow dW, such as a one-channel layer's 16 columns). A [M, K = N·P] is a group's
    /// channels of images [N, C, P] read in place: A[m, img·P + q] = A[m·P + img·ImageStride + q].</summary>
    private struct WeightGradientJob : IRangeJob
    {
        public SimdLevel Level;
        public float* A, Pad, Output;
        public int* Rows, Columns;
        public int M, K, N, P, ImageStride;
        public bool ByRows;

        /// <summary>Blocks to split into: of columns, or of rows when there are too few columns for every thread.</summary>
        public int Blocks(int threads)
        {
            ByRows = (N + 15) / 16 < threads && M > N;
            return ByRows ? (M + 15) / 16 : (N + 15) / 16;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            bool avx512 = Level == SimdLevel.Avx512;
            if (ByRows)
            {
                int top = start * 16, bottom = Math.Min(M, end * 16);
                var all = new TransposedColumnPanels(Pad, Rows, Columns, avx512);
                var rowsSink = new DenseTiles(Output + (nint)top * N, N);
                using var band = PackedA.Of(Level, bottom - top, K, new RowRuns(A + (nint)top * P, P, P, ImageStride));
                Multiply(Level, bottom - top, N, K, band.Pointer, ref all, ref rowsSink);
                return;
            }
            int first = start * 16, last = Math.Min(N, end * 16);
            var source = new TransposedColumnPanels(Pad, Rows + first, Columns, avx512);
            var sink = new DenseTiles(Output + first, N);
            using var a = PackedA.Of(Level, M, K, new RowRuns(A, P, P, ImageStride));
            Multiply(Level, M, last - first, K, a.Pointer, ref source, ref sink);
        }
    }
}
