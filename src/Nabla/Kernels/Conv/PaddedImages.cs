namespace Nabla.Kernels.Conv;

/// <summary>The zero-padded copy of a group's channel planes that the implicit convolution reads: every tap of every
/// output pixel lands inside it, so a column-matrix element is one load at a precomputed offset.</summary>
/// <remarks>A plane is (H + padTop + max(0, padBottom)) × (W + padLeft + max(0, padRight)); negative bottom/right
/// padding (a transposed convolution's output padding) adds nothing, since no tap reaches there. Images follow
/// each other, <see cref="ImageStride"/> = Cg·plane apart.</remarks>
internal readonly unsafe struct PaddedImages(in ConvGeometry g)
{
    private readonly ConvGeometry _g = g;

    /// <summary>Columns of a padded plane.</summary>
    public int Width { get; } = StridedIm2Col.PaddedWidth(g);

    /// <summary>Floats in a padded plane.</summary>
    public int Plane { get; } = (g.Height + g.PadTop + Math.Max(0, g.PadBottom)) * StridedIm2Col.PaddedWidth(g);

    /// <summary>Floats from one padded image to the next.</summary>
    public int ImageStride => _g.Channels * Plane;

    /// <summary>rows[r] for column-matrix row r = (c·kH + i)·kW + j: where its tap starts in a padded image,
    /// c·plane + i·dH·Wp + j·dW.</summary>
    public void RowOffsets(int* rows)
    {
        int r = 0;
        for (int c = 0; c < _g.Channels; c++)
            for (int i = 0; i < _g.KernelH; i++)
                for (int j = 0; j < _g.KernelW; j++)
                    rows[r++] = c * Plane + i * _g.DilationH * Width + j * _g.DilationW;
    }

    /// <summary>columns[img·P + oy·outW + ox] = img·ImageStride + oy·sH·Wp + ox·sW: the top-left tap of that output
    /// pixel, so column-matrix element (r, j) is pad[rows[r] + columns[j]].</summary>
    public void ColumnOffsets(int* columns, int n)
    {
        int outH = _g.OutH, outW = _g.OutW, j = 0;
        for (int img = 0; img < n; img++)
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                    columns[j++] = img * ImageStride + oy * _g.StrideH * Width + ox * _g.StrideW;
    }

    /// <summary>Copies images [start, end) of a group (channel planes of image i at images + i·imageStride, H×W each)
    /// into pad with zero borders, writing every padded element once.</summary>
    public void Fill(float* images, int imageStride, float* pad, int start, int end)
    {
        int h = _g.Height, w = _g.Width, wp = Width, top = _g.PadTop, left = _g.PadLeft;
        int bottomRows = Plane / wp - top - h;
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
}
