using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels.Conv;

/// <summary>The zero-padded copy of a group's channel planes that the implicit convolution reads: every tap of every
/// output pixel lands inside it, so a column-matrix element is one load at a precomputed offset.</summary>
/// <remarks>
/// <para>A padded plane is Hp × Wp = (H + padTop + max(0, padBottom)) × (W + padLeft + max(0, padRight)); negative
/// bottom/right padding (a transposed convolution's output padding) adds nothing, since no tap reaches there. Images
/// follow each other, <see cref="ImageStride"/> = Cg·plane apart.</para>
/// <para>The phased layout stores each plane as sH·sW sub-planes, padded element (Y, X) in sub-plane
/// (Y mod sH, X mod sW) at (Y div sH, X div sW). A tap then reads the same sub-plane for every output pixel, and
/// neighbouring output pixels are neighbours there: 16 pixels of a 7-wide output fall in one 32-float window instead
/// of three, which is what the forward's gather (<see cref="ColumnPanels"/>) pays per window. The weight gradient's
/// gather walks the taps of a channel instead, which the phased layout would spread over every sub-plane, so it
/// reads the plain one.</para>
/// </remarks>
internal readonly unsafe struct PaddedImages
{
    private readonly ConvGeometry _g;
    private readonly int _phaseRows, _phaseColumns, _subRows;

    /// <param name="g">The convolution.</param>
    /// <param name="phased">Whether to split planes into stride phases (see remarks).</param>
    public PaddedImages(in ConvGeometry g, bool phased = false)
    {
        _g = g;
        _phaseRows = phased ? g.StrideH : 1;
        _phaseColumns = phased ? g.StrideW : 1;
        int hp = g.Height + g.PadTop + Math.Max(0, g.PadBottom), wp = StridedIm2Col.PaddedWidth(g);
        _subRows = (hp + _phaseRows - 1) / _phaseRows;
        Width = (wp + _phaseColumns - 1) / _phaseColumns;
        Plane = _phaseRows * _phaseColumns * _subRows * Width;
    }

    /// <summary>Columns of a padded row (of a sub-plane, when phased).</summary>
    public int Width { get; }

    /// <summary>Floats in a padded plane (all its sub-planes).</summary>
    public int Plane { get; }

    /// <summary>Floats from one padded image to the next.</summary>
    public int ImageStride => _g.Channels * Plane;

    /// <summary>Where padded element (Y, X) of a plane is: Y·Wp + X, or in the phased layout its sub-plane's start
    /// plus (Y div sH)·Wq + X div sW.</summary>
    private int At(int y, int x) =>
        ((y % _phaseRows) * _phaseColumns + x % _phaseColumns) * _subRows * Width + y / _phaseRows * Width + x / _phaseColumns;

    /// <summary>rows[r] for column-matrix row r = (c·kH + i)·kW + j: where its tap starts in a padded image,
    /// c·plane + At(i·dH, j·dW).</summary>
    public void RowOffsets(int* rows)
    {
        int r = 0;
        for (int c = 0; c < _g.Channels; c++)
            for (int i = 0; i < _g.KernelH; i++)
                for (int j = 0; j < _g.KernelW; j++)
                    rows[r++] = c * Plane + At(i * _g.DilationH, j * _g.DilationW);
    }

    /// <summary>columns[img·P + oy·outW + ox] = img·ImageStride + oy·sH·Wp + ox·sW (phased: oy·Wq + ox): the top-left
    /// tap of that output pixel, so column-matrix element (r, j) is pad[rows[r] + columns[j]]. The phased form holds
    /// because Y = oy·sH + i·dH lies in the sub-plane of i·dH at row oy + (i·dH) div sH.</summary>
    public void ColumnOffsets(int* columns, int n)
    {
        int outH = _g.OutH, outW = _g.OutW, j = 0;
        for (int img = 0; img < n; img++)
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                    columns[j++] = img * ImageStride + oy * (_g.StrideH / _phaseRows) * Width + ox * (_g.StrideW / _phaseColumns);
    }

    /// <summary>Copies images [start, end) of a group (channel planes of image i at images + i·imageStride, H×W each)
    /// into pad with zero borders, writing every padded element once.</summary>
    public void Fill(float* images, int imageStride, float* pad, int start, int end)
    {
        int h = _g.Height, w = _g.Width, wp = Width, top = _g.PadTop, left = _g.PadLeft;
        int bottomRows = Plane / wp - top - h;
        if (_phaseRows * _phaseColumns > 1)
        {
            if (_phaseColumns == 2 && wp <= 16 && KernelOptions.X86Level == SimdLevel.Avx512) FillPhasedPairs(images, imageStride, pad, start, end);
            else FillPhased(images, imageStride, pad, start, end);
            return;
        }
        if (wp <= 16 && KernelOptions.X86Level == SimdLevel.Avx512)
        {
            FillNarrow(images, imageStride, pad, start, end);
            return;
        }
        for (int img = start; img < end; img++)
            for (int c = 0; c < _g.Channels; c++)
            {
                float* src = images + (nint)img * imageStride + (nint)c * h * w;
                float* dst = pad + (nint)img * ImageStride + (nint)c * Plane;
                new Span<float>(dst, top * wp).Clear();
                dst += top * wp;
                for (int y = 0; y < h; y++, dst += wp, src += w)
                {
                    for (int x = 0; x < left; x++) dst[x] = 0;
                    Buffer.MemoryCopy(src, dst + left, (long)w * sizeof(float), (long)w * sizeof(float));
                    for (int x = left + w; x < wp; x++) dst[x] = 0;
                }
                new Span<float>(dst, bottomRows * wp).Clear();
            }
    }

    /// <summary><see cref="Fill"/> for padded rows of at most 16 floats (the DCGAN's 7- and 14-pixel planes): each padded
    /// row is one masked load of the source row, shifted so its zero borders come from the masked-off lanes, and one
    /// masked store. Copying such short rows with a memory-copy call cost more than the copying.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillNarrow(float* images, int imageStride, float* pad, int start, int end)
    {
        int h = _g.Height, w = _g.Width, wp = Width, top = _g.PadTop, left = _g.PadLeft;
        int bottomRows = Plane / wp - top - h;
        var lane = Vector512<int>.Indices;
        var inside = (Vector512.GreaterThanOrEqual(lane, Vector512.Create(left)) & Vector512.LessThan(lane, Vector512.Create(left + w))).AsSingle();
        var row = Vector512.LessThan(lane, Vector512.Create(wp)).AsSingle();
        for (int img = start; img < end; img++)
            for (int c = 0; c < _g.Channels; c++)
            {
                float* src = images + (nint)img * imageStride + (nint)c * h * w - left;
                float* dst = pad + (nint)img * ImageStride + (nint)c * Plane;
                for (int y = 0; y < top; y++, dst += wp) Avx512F.MaskStore(dst, row, Vector512<float>.Zero);
                for (int y = 0; y < h; y++, dst += wp, src += w) Avx512F.MaskStore(dst, row, Avx512F.MaskLoad(src, inside, Vector512<float>.Zero));
                for (int y = 0; y < bottomRows; y++, dst += wp) Avx512F.MaskStore(dst, row, Vector512<float>.Zero);
            }
    }

    /// <summary><see cref="Fill"/> for the phased layout, row by row and column phase by column phase (every
    /// sub-plane element written once).</summary>
    private void FillPhased(float* images, int imageStride, float* pad, int start, int end)
    {
        int h = _g.Height, w = _g.Width, wq = Width, top = _g.PadTop, left = _g.PadLeft, sub = _subRows * wq;
        int rows = _subRows * _phaseRows;
        for (int img = start; img < end; img++)
            for (int c = 0; c < _g.Channels; c++)
            {
                float* src = images + (nint)img * imageStride + (nint)c * h * w;
                float* plane = pad + (nint)img * ImageStride + (nint)c * Plane;
                for (int y = 0; y < rows; y++)
                {
                    int sy = y - top;
                    float* srcRow = src + sy * w;
                    for (int b = 0; b < _phaseColumns; b++)
                    {
                        float* dst = plane + ((y % _phaseRows) * _phaseColumns + b) * sub + y / _phaseRows * wq;
                        for (int col = 0, sx = b - left; col < wq; col++, sx += _phaseColumns)
                            dst[col] = sy >= 0 && sy < h && sx >= 0 && sx < w ? srcRow[sx] : 0;
                    }
                }
            }
    }

    /// <summary>The phased <see cref="Fill"/> for horizontal stride 2 and padded rows of at most 32 floats: each padded
    /// row is two masked loads (as in <see cref="FillNarrow"/>), two permutes that gather its even and its odd
    /// columns, and two masked stores, one per column phase.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillPhasedPairs(float* images, int imageStride, float* pad, int start, int end)
    {
        int h = _g.Height, w = _g.Width, wq = Width, top = _g.PadTop, left = _g.PadLeft, sub = _subRows * wq;
        int rows = _subRows * _phaseRows;
        var lane = Vector512<int>.Indices;
        var insideLow = (Vector512.GreaterThanOrEqual(lane, Vector512.Create(left)) & Vector512.LessThan(lane, Vector512.Create(left + w))).AsSingle();
        var insideHigh = (Vector512.GreaterThanOrEqual(lane, Vector512.Create(left - 16)) & Vector512.LessThan(lane, Vector512.Create(left + w - 16))).AsSingle();
        var row = Vector512.LessThan(lane, Vector512.Create(wq)).AsSingle();
        var evens = lane * 2;
        var odds = evens + Vector512<int>.One;
        for (int img = start; img < end; img++)
            for (int c = 0; c < _g.Channels; c++)
            {
                float* src = images + (nint)img * imageStride + (nint)c * h * w - left;
                float* plane = pad + (nint)img * ImageStride + (nint)c * Plane;
                for (int y = 0; y < rows; y++)
                {
                    int sy = y - top;
                    Vector512<float> low = Vector512<float>.Zero, high = Vector512<float>.Zero;
                    if (sy >= 0 && sy < h)
                    {
                        low = Avx512F.MaskLoad(src + sy * w, insideLow, Vector512<float>.Zero);
                        high = Avx512F.MaskLoad(src + sy * w + 16, insideHigh, Vector512<float>.Zero);
                    }
                    float* even = plane + (y % _phaseRows) * 2 * sub + y / _phaseRows * wq;
                    Avx512F.MaskStore(even, row, Avx512F.PermuteVar16x32x2(low, evens, high));
                    Avx512F.MaskStore(even + sub, row, Avx512F.PermuteVar16x32x2(low, odds, high));
                }
            }
    }
}
