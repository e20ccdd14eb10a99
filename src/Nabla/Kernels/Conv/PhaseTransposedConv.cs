using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nabla.Kernels.Gemm;

namespace Nabla.Kernels.Conv;

/// <summary>
/// images = col2im(Wᵀ·X), the transposed convolution that is both a convolution's input gradient and the forward of
/// ConvTranspose2d, computed as one stride-1 implicit GEMM per output phase: no column matrix is formed and nothing is
/// folded.
/// </summary>
/// <remarks>
/// <para>With stride s and dilation d, tap i carries source pixel o to image row Y = o·s + i·d (Y counted in padded
/// coordinates, Y = y + padTop). Writing Y = s·u + a, the taps that reach phase a are those with i·d ≡ a (mod s),
/// each from o = u − tᵢ where tᵢ = (i·d − a)/s. So the pixels of one phase (a, b) form a stride-1 correlation:</para>
/// <para>  img[c, s·u + a − padT, s·v + b − padL] = Σ_o Σ_{i ∈ taps(a)} Σ_{j ∈ taps(b)} W[o, c, i, j] · x[o, u − tᵢ, v − tⱼ],</para>
/// <para>a GEMM C [Cg, pixels of the phase] = A_ab [Cg, Cs·|taps(a)|·|taps(b)|] · B_ab, with B gathered from the
/// zero-padded source by <see cref="ColumnPanels"/> (16 neighbouring pixels of a phase lie in one 32-float window
/// of a padded row band, or two where the panel crosses into the next image) and C stored into the image at stride s
/// from a staging buffer. Every pixel belongs to exactly one phase, and the phases' GEMMs do together the
/// FLOPs of Wᵀ·X. For the DCGAN's 4×4 stride-2 layers that is four GEMMs with k = 4·Cs, where col2im wrote a
/// 1024 × N·P column-gradient matrix and read it back to fold it.</para>
/// </remarks>
internal static unsafe class PhaseTransposedConv
{
    // Padded source images per chunk (about 256 KB): they stay in cache while every phase gathers from them.
    private const int ChunkFloats = 1 << 16;

    // PanelGather reads 32-float windows that may start at the last element.
    private const int WindowSlack = 32;

    // Per phase in the phase table: k, pixels per image, first row offset, first column, packed-A offset, the phase's
    // first u, its pixels per row (v count), the image column its first v lands on, and its first tap offset.
    private const int PhaseFields = 9;

    /// <summary>Whether the images have channels enough to fill the micro-kernel's tiles (its 16 rows), which the
    /// phase GEMMs put in M.</summary>
    public static bool Pays(in ConvGeometry g) => g.Channels >= 16;

    /// <summary>
    /// images[img, c, ·] = col2im(Wᵀ·X) for every image (overwritten: pixels no tap reaches become 0), where X is the
    /// group's source channels (source + img·sourceStride + o·P for o &lt; <paramref name="sourceChannels"/>,
    /// P = g.OutH·g.OutW) and W holds
    /// element (o, c, i, j) at w[o·Kg + (c·kH + i)·kW + j] (Kg = g.ColRows). <paramref name="g"/> describes one group of
    /// the image being written (Channels = Cg); the image's planes are at images + img·imageStride + c·H·W.
    /// </summary>
    public static void Run(float* source, int sourceStride, int sourceChannels, float* w, float* images, int imageStride,
        in ConvGeometry g, int n)
    {
        var level = KernelOptions.X86Level;
        var plan = Plan.For(g, n, sourceChannels, level);
        int m = g.Channels;
        float[] floats = ArrayPool<float>.Shared.Rent(plan.PackedLength + n * plan.Layout.ImageStride + WindowSlack);
        try
        {
            fixed (int* table = plan.Table)
            fixed (float* scratch = floats)
            {
                float* packedA = scratch, pad = scratch + plan.PackedLength;
                int* rowOffsets = table + plan.Phases * PhaseFields, tapOffsets = table + plan.TapOffsetsAt;
                for (int ph = 0; ph < plan.Phases; ph++)
                {
                    int* fields = table + ph * PhaseFields;
                    if (fields[0] == 0 || fields[1] == 0) continue;
                    var weights = new PhaseWeights(w, g.ColRows, g.KernelH * g.KernelW, tapOffsets + fields[8], fields[0] / sourceChannels);
                    ImplicitConv.PackA(level, m, fields[0], ref weights, packedA + fields[4]);
                }
                var job = new Job
                {
                    Level = level, Layout = plan.Layout, Source = source, SourceStride = sourceStride, Pad = pad, PackedA = packedA,
                    Images = images, Plane = g.Height * g.Width, M = m, Phases = table, PhaseCount = plan.Phases,
                    Rows = rowOffsets, Columns = rowOffsets + plan.RowCount, ImageStride = imageStride, Height = g.Height,
                    Width = g.Width, PadTop = g.PadTop, PadLeft = g.PadLeft, StrideH = g.StrideH, StrideW = g.StrideW,
                };
                RangeParallel.RunInParts(job, n, (long)m * plan.RowCount / plan.Phases * g.Height * g.Width, job.Grain);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    /// <summary>What a call needs besides the weights, computed once per geometry, batch size and channel count: the
    /// phases' taps and pixel ranges, the padded source layout, and the offset tables.</summary>
    private sealed class Plan
    {
        private static readonly ConcurrentDictionary<(ConvGeometry, int, int, SimdLevel), Plan> Plans = new();

        private Plan(in ConvGeometry g, int n, int sourceChannels, SimdLevel level)
        {
            RowAxis = Axis.Of(g.KernelH, g.StrideH, g.DilationH, g.PadTop, g.Height, g.OutH);
            ColumnAxis = Axis.Of(g.KernelW, g.StrideW, g.DilationW, g.PadLeft, g.Width, g.OutW);
            Layout = new PaddedImages(new ConvGeometry(sourceChannels, g.OutH, g.OutW, 1, 1, 1, 1,
                RowAxis.Before, ColumnAxis.Before, RowAxis.After, ColumnAxis.After, 1, 1));
            Phases = g.StrideH * g.StrideW;
            for (int a = 0; a < g.StrideH; a++)
                for (int b = 0; b < g.StrideW; b++)
                {
                    int k = sourceChannels * RowAxis.Taps[a].Length * ColumnAxis.Taps[b].Length;
                    RowCount += k;
                    PackedLength += ImplicitConv.PackedALength(level, g.Channels, k);
                    TapCount += RowAxis.Taps[a].Length * ColumnAxis.Taps[b].Length;
                }
            int pixels = n * g.Height * g.Width;
            Table = new int[Phases * PhaseFields + RowCount + pixels + TapCount];
            fixed (int* table = Table)
            {
                int* rowOffsets = table + Phases * PhaseFields, columns = rowOffsets + RowCount;
                int* tapOffsets = columns + pixels;
                int rowAt = 0, columnAt = 0, packedAt = 0, tapAt = 0;
                for (int a = 0; a < g.StrideH; a++)
                    for (int b = 0; b < g.StrideW; b++)
                    {
                        int* fields = table + (a * g.StrideW + b) * PhaseFields;
                        fields[8] = tapAt;
                        foreach (int i in RowAxis.Taps[a])
                            foreach (int j in ColumnAxis.Taps[b])
                                tapOffsets[tapAt++] = i * g.KernelW + j;
                        int k = sourceChannels * RowAxis.Taps[a].Length * ColumnAxis.Taps[b].Length;
                        int perImage = RowAxis.Count[a] * ColumnAxis.Count[b];
                        (fields[0], fields[1], fields[2], fields[3], fields[4]) = (k, perImage, rowAt, columnAt, packedAt);
                        int firstV = ColumnAxis.First[b];
                        (fields[5], fields[6], fields[7]) = (RowAxis.First[a], ColumnAxis.Count[b], g.StrideW * firstV + b - g.PadLeft);
                        if (k == 0 || perImage == 0) continue;
                        FillRows(RowAxis, ColumnAxis, a, b, sourceChannels, Layout, rowOffsets + rowAt);
                        FillColumns(RowAxis, ColumnAxis, a, b, Layout, n, columns + columnAt);
                        rowAt += k;
                        columnAt += n * perImage;
                        packedAt += ImplicitConv.PackedALength(level, g.Channels, k);
                    }
            }
        }

        public Axis RowAxis { get; }
        public Axis ColumnAxis { get; }
        public PaddedImages Layout { get; }
        public int Phases { get; }

        /// <summary>Total k over the phases: the rows of the offset table.</summary>
        public int RowCount { get; }

        /// <summary>Floats of all phases' packed A.</summary>
        public int PackedLength { get; }

        /// <summary>Taps over all phases (each tap of the kernel belongs to one).</summary>
        public int TapCount { get; }

        /// <summary>Where the taps' offsets i·kW + j start in <see cref="Table"/>: per phase, in the order of its k.</summary>
        public int TapOffsetsAt => Table.Length - TapCount;

        /// <summary>Per phase <see cref="PhaseFields"/> ints; then the row offsets, the pixels' padded column offsets and
        /// the phases' tap offsets.</summary>
        public int[] Table { get; }

        /// <summary>The plan for these arguments; a model has a handful, so the cache is only emptied if it grows past
        /// what one model could need (a batch size per step would otherwise fill it).</summary>
        public static Plan For(in ConvGeometry g, int n, int sourceChannels, SimdLevel level)
        {
            if (Plans.Count > 64) Plans.Clear();
            return Plans.GetOrAdd((g, n, sourceChannels, level), static key => new Plan(key.Item1, key.Item2, key.Item3, key.Item4));
        }
    }

    /// <summary>B's row r = (o, i, j) of phase (a, b): where tap (i, j) of source channel o starts in a padded image,
    /// o·plane + (before − tᵢ)·Wp + (before − tⱼ); a column adds its own u·Wp + v.</summary>
    private static void FillRows(Axis rows, Axis cols, int a, int b, int channels, in PaddedImages layout, int* offsets)
    {
        int r = 0;
        for (int o = 0; o < channels; o++)
            foreach (int ti in rows.Shifts[a])
                foreach (int tj in cols.Shifts[b])
                    offsets[r++] = o * layout.Plane + (rows.Before - ti) * layout.Width + (cols.Before - tj);
    }

    /// <summary>Per pixel (img, u, v) of phase (a, b), image by image: its padded column offset img·ImageStride + u·Wp + v.</summary>
    private static void FillColumns(Axis rows, Axis cols, int a, int b, in PaddedImages layout, int n, int* columns)
    {
        int j = 0;
        for (int img = 0; img < n; img++)
            for (int u = rows.First[a]; u < rows.First[a] + rows.Count[a]; u++)
                for (int v = cols.First[b]; v < cols.First[b] + cols.Count[b]; v++)
                    columns[j++] = img * layout.ImageStride + u * layout.Width + v;
    }

    /// <summary>A phase's A_ab [Cg, k] packed straight from the weights: A_ab[c, (o, t)] = W[o, c, tap t of the phase],
    /// at w[o·Kg + c·kH·kW + tapOffsets[t]]. A micro-panel's 16 rows are 16 channels, kH·kW floats apart, so one k
    /// step reads 16 floats that sit in 16 neighbouring cache lines, the same lines for all the taps of one o.</summary>
    private readonly unsafe struct PhaseWeights(float* w, int kg, int taps, int* tapOffsets, int tapsPerO) : IPackRows
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Pack(int row, int count, int pc, int depth, int mr, float* panel)
        {
            for (int p = 0; p < depth; p++, panel += mr)
            {
                int k = pc + p, o = k / tapsPerO;
                float* src = w + (nint)o * kg + row * taps + tapOffsets[k - o * tapsPerO];
                int i = 0;
                for (; i < count; i++) panel[i] = src[i * taps];
                for (; i < mr; i++) panel[i] = 0;
            }
        }
    }

    /// <summary>One axis split into phases: which taps reach each phase, and which of its pixels are inside the image.</summary>
    private sealed class Axis
    {
        private Axis(int stride)
        {
            Taps = new int[stride][];
            Shifts = new int[stride][];
            First = new int[stride];
            Count = new int[stride];
        }

        /// <summary>Per phase a: the taps i with i·d ≡ a (mod s), by descending shift so their padded offsets ascend
        /// (neighbouring k steps of a panel then lie one float apart, which lets the gather pair them).</summary>
        public int[][] Taps { get; }

        /// <summary>Per phase: tᵢ = (i·d − a)/s for each tap, in the order of <see cref="Taps"/>.</summary>
        public int[][] Shifts { get; }

        /// <summary>Per phase: the first u with s·u + a − pad ≥ 0.</summary>
        public int[] First { get; }

        /// <summary>Per phase: how many u land inside the image.</summary>
        public int[] Count { get; }

        /// <summary>Zero rows (columns) the source needs before and after it so every tap of every pixel reads in bounds.</summary>
        public int Before { get; private set; }

        /// <inheritdoc cref="Before"/>
        public int After { get; private set; }

        public static Axis Of(int kernel, int stride, int dilation, int pad, int size, int sourceSize)
        {
            var axis = new Axis(stride);
            for (int a = 0; a < stride; a++)
            {
                var taps = new List<int>();
                for (int i = kernel - 1; i >= 0; i--)
                    if (i * dilation % stride == a) taps.Add(i);
                axis.Taps[a] = [.. taps];
                axis.Shifts[a] = [.. taps.Select(i => (i * dilation - a) / stride)];
                // pad − a + s − 1 ≥ 0 since pad ≥ 0 and a < s; size − 1 + pad − a < 0 only when no pixel has this phase.
                int first = (pad - a + stride - 1) / stride, last = size - 1 + pad - a;
                axis.First[a] = first;
                axis.Count[a] = last < 0 ? 0 : Math.Max(0, last / stride - first + 1);
                if (taps.Count == 0 || axis.Count[a] == 0) continue;
                int shiftMax = axis.Shifts[a][0], shiftMin = axis.Shifts[a][^1];
                axis.Before = Math.Max(axis.Before, shiftMax - first);
                axis.After = Math.Max(axis.After, first + axis.Count[a] - 1 - shiftMin - (sourceSize - 1));
            }
            return axis;
        }
    }

    /// <summary>For images [start, end), a few at a time: pad their source channels, run every phase's GEMM into a
    /// staging buffer (phase by phase, [M, pixels of the phase in the chunk]), then write the staged pixels into the
    /// images row by row.</summary>
    /// <remarks>The micro-kernel stores the staged tiles directly. Adding each pixel into the image at stride s
    /// straight from the GEMM's tiles (once per k block) measured a fifth of the layer's time, and a scalar
    /// scatter from the staging buffer a tenth; the row-by-row interleave writes each image row once, in order, and
    /// never reads the images, so the caller need not zero them.</remarks>
    private struct Job : IRangeJob
    {
        public SimdLevel Level;
        public PaddedImages Layout;
        public float* Source, Pad, PackedA, Images;
        public int* Phases, Rows, Columns;
        public int SourceStride, Plane, M, PhaseCount, ImageStride, Height, Width, PadTop, PadLeft, StrideH, StrideW;

        /// <summary>Images a part pads and multiplies at a time.</summary>
        public readonly int Grain => Math.Max(1, ChunkFloats / Layout.ImageStride);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int start, int end)
        {
            int chunk = Math.Min(Grain, end - start);
            float[] staging = ArrayPool<float>.Shared.Rent(M * chunk * Plane + 16);
            int* blocks = stackalloc int[PhaseCount];
            try
            {
                fixed (float* stage = staging)
                    for (int first = start; first < end; first += chunk)
                    {
                        int count = Math.Min(end, first + chunk) - first, at = 0;
                        Layout.Fill(Source, SourceStride, Pad, first, first + count);
                        for (int ph = 0; ph < PhaseCount; ph++)
                        {
                            int* fields = Phases + ph * PhaseFields;
                            int k = fields[0], width = count * fields[1];
                            blocks[ph] = at;
                            if (k == 0 || width == 0) continue;
                            var source = new ColumnPanels(Pad, Rows + fields[2], Columns + fields[3] + first * fields[1], Level == SimdLevel.Avx512);
                            var sink = new DenseTiles(stage + at, width);
                            ImplicitConv.Multiply(Level, M, width, k, PackedA + fields[4], ref source, ref sink);
                            at += M * width;
                        }
                        Interleave(stage, blocks, first, count);
                    }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(staging);
            }
        }

        /// <summary>images[img, c, y, x] = the staged pixel of phase ((y + padT) mod sH, (x + padL) mod sW), for the
        /// chunk's images; 0 where that phase has no taps. Every pixel is written once, row by row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Interleave(float* stage, int* blocks, int first, int count)
        {
            // Per image row y and column phase b: which phase feeds it (PhaseCount: none, read zeros) and where its row
            // starts within the phase's image block; per phase, channel c of image img starts at
            // blocks + (c·count + img)·perImage.
            int* feed = stackalloc int[2 * StrideW * Height];
            for (int y = 0; y < Height; y++)
            {
                int a = (y + PadTop) % StrideH, u = (y + PadTop) / StrideH;
                for (int b = 0; b < StrideW; b++)
                {
                    int ph = a * StrideW + b;
                    int* fields = Phases + ph * PhaseFields;
                    bool live = fields[0] != 0 && fields[1] != 0;
                    feed[2 * (y * StrideW + b)] = live ? ph : PhaseCount;
                    feed[2 * (y * StrideW + b) + 1] = live ? (u - fields[5]) * fields[6] : 0;
                }
            }
            float* zeros = stackalloc float[Width + 32];
            new Span<float>(zeros, Width + 32).Clear();
            float** phaseRows = stackalloc float*[PhaseCount + 1];
            phaseRows[PhaseCount] = zeros;
            bool zip = StrideW == 2 && Level == SimdLevel.Avx512;
            for (int img = 0; img < count; img++)
                for (int c = 0; c < M; c++)
                {
                    for (int ph = 0; ph < PhaseCount; ph++)
                        phaseRows[ph] = stage + blocks[ph] + ((nint)c * count + img) * Phases[ph * PhaseFields + 1];
                    float* row = Images + (nint)(first + img) * ImageStride + (nint)c * Plane;
                    for (int y = 0; y < Height; y++, row += Width)
                    {
                        int* at = feed + 2 * y * StrideW;
                        if (zip)
                        {
                            // Column phase b feeds image columns x ≡ b − padL (mod 2): the one whose first pixel lands on
                            // column 0 gives the even columns (b = padL mod 2).
                            float* p0 = phaseRows[at[0]] + at[1], p1 = phaseRows[at[2]] + at[3];
                            bool firstIsEven = (PadLeft & 1) == 0;
                            StoreZipped(firstIsEven ? p0 : p1, firstIsEven ? p1 : p0, row, Width);
                            continue;
                        }
                        for (int b = 0; b < StrideW; b++)
                        {
                            // A phase without taps still has its pixel count and first column in the table.
                            int* fields = Phases + ((y + PadTop) % StrideH * StrideW + b) * PhaseFields;
                            StoreStrided(phaseRows[at[2 * b]] + at[2 * b + 1], fields[6], row + fields[7], StrideW);
                        }
                    }
                }
        }
    }

    /// <summary>dst[s·t] = src[t] for t &lt; count.</summary>
    private static void StoreStrided(float* src, int count, float* dst, int stride)
    {
        for (int t = 0; t < count; t++) dst[stride * t] = src[t];
    }

    /// <summary>Stride 2: row[2t] = even[t], row[2t + 1] = odd[t] across the row's width; each source is read 16
    /// floats at a time (the staging buffer and the zero row have that much slack).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreZipped(float* even, float* odd, float* row, int width)
    {
        // [e0 o0 e1 o1 … e7 o7] from the first 8 floats of each: vpermt2ps picks lanes 0–15 from even, 16–31 from odd.
        var pairs = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        for (int x = 0; x < width; x += 16, even += 8, odd += 8)
        {
            var zipped = Avx512F.PermuteVar16x32x2(Vector512.Load(even), pairs, Vector512.Load(odd));
            if (x + 16 <= width) Vector512.Store(zipped, row + x);
            else Avx512F.MaskStore(row + x, Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width - x)).AsSingle(), zipped);
        }
    }
}
