using System.Buffers;
using System.Numerics;
using Nabla.Kernels.Gemm;

namespace Nabla.Kernels.Conv;

/// <summary>Grouped 2-D convolution and transposed convolution as im2col + GEMM, forward and backward, for N images.</summary>
/// <remarks>
/// Shapes: x [N, G·Cg, H, W]; conv weight [G·Mg, Cg, kH, kW]; y [N, G·Mg, P] with P = outH·outW. For group g and image n,
/// with cols = im2col(x[n, g]) [Kg = Cg·kH·kW, P]:  y[n, g] = W_g [Mg, Kg] · cols.  Backward:
/// dW_g = Σ_n dy[n, g] · colsᵀ,  dx[n, g] = col2im(W_gᵀ · dy[n, g]),  db = Σ_{n,p} dy.
/// The transposed convolution is the adjoint map: y = col2im(W_gᵀ·x), so its forward is conv's input-gradient and
/// its input-gradient is conv's forward. The column buffer comes from ArrayPool and is returned before exit.
/// </remarks>
internal static class ConvKernel
{
    /// <summary>Convolution forward. <paramref name="g"/> describes one group of one image (Channels = Cg).</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y,
        int n, int groups, int outChannels, in ConvGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = g.ColCols, kg = g.ColRows, mg = outChannels / groups, imageIn = groups * g.Channels * g.Height * g.Width;
        FillBias(bias, y, n, outChannels, p);
        var cols = ArrayPool<T>.Shared.Rent(n * kg * p);
        try
        {
            for (int grp = 0; grp < groups; grp++)
            {
                for (int i = 0; i < n; i++)
                    Im2Col.Unfold(x.Slice(i * imageIn + grp * g.Channels * g.Height * g.Width, g.Channels * g.Height * g.Width), g, cols.AsSpan(i * kg * p, kg * p), p, 0);
                GemmOf<T>.Batched(false, false, n, mg, p, kg, T.One,
                    w[(grp * mg * kg)..], kg, 0, cols, p, (long)kg * p,
                    bias.IsEmpty ? T.Zero : T.One, y[(grp * mg * p)..], p, (long)outChannels * p);
            }
        }
        finally { ArrayPool<T>.Shared.Return(cols); }
    }

    /// <summary>Convolution backward: any of dx, dw, db may be empty (not needed). dx must start zeroed; dw and db are overwritten.</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> db,
        int n, int groups, int outChannels, in ConvGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = g.ColCols, kg = g.ColRows, mg = outChannels / groups, plane = g.Channels * g.Height * g.Width, imageIn = groups * plane;
        if (!db.IsEmpty) BiasGradient(dy, db, n, outChannels, p);
        var cols = ArrayPool<T>.Shared.Rent(n * kg * p);
        try
        {
            for (int grp = 0; grp < groups; grp++)
            {
                if (!dw.IsEmpty)
                {
                    for (int i = 0; i < n; i++)
                        Im2Col.Unfold(x.Slice(i * imageIn + grp * plane, plane), g, cols.AsSpan(i * kg * p, kg * p), p, 0);
                    var dwg = dw.Slice(grp * mg * kg, mg * kg);
                    for (int i = 0; i < n; i++)   // dW_g += dy[n, g] · colsᵀ
                        GemmOf<T>.Batched(false, true, 1, mg, kg, p, T.One,
                            dy[((i * outChannels + grp * mg) * p)..], p, 0, cols.AsSpan(i * kg * p, kg * p), p, 0,
                            i == 0 ? T.Zero : T.One, dwg, kg, 0);
                }
                if (!dx.IsEmpty)
                {
                    // dcols[n] = W_gᵀ · dy[n, g], then fold back into the image. w is empty when dx is not needed (the
                    // first layer's input), so the group's slice is taken only here.
                    var wg = w.Slice(grp * mg * kg, mg * kg);
                    GemmOf<T>.Batched(true, false, n, kg, p, mg, T.One, wg, kg, 0,
                        dy[(grp * mg * p)..], p, (long)outChannels * p, T.Zero, cols, p, (long)kg * p);
                    for (int i = 0; i < n; i++)
                        Im2Col.Fold<T>(cols.AsSpan(i * kg * p, kg * p), p, 0, g, dx.Slice(i * imageIn + grp * plane, plane));
                }
            }
        }
        finally { ArrayPool<T>.Shared.Return(cols); }
    }

    /// <summary>Transposed convolution forward: x [N, G·Cg_in, Hin, Win] → y [N, G·Mg, H, W], weight [G·Cg_in, Mg, kH, kW].
    /// <paramref name="g"/> describes the OUTPUT image of one group (Channels = Mg, Height/Width = output size), so
    /// g.OutH × g.OutW equals Hin × Win. y must start zeroed (bias is added here).</summary>
    public static void TransposedForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y,
        int n, int groups, int inChannels, in ConvGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = g.ColCols, kg = g.ColRows, cg = inChannels / groups, outPlane = g.Channels * g.Height * g.Width, imageOut = groups * outPlane;
        var cols = ArrayPool<T>.Shared.Rent(n * kg * p);
        try
        {
            for (int grp = 0; grp < groups; grp++)
            {
                // cols[n] = W_gᵀ [Kg, Cg_in] · x[n, g] [Cg_in, P]
                GemmOf<T>.Batched(true, false, n, kg, p, cg, T.One, w[(grp * cg * kg)..], kg, 0,
                    x[(grp * cg * p)..], p, (long)inChannels * p, T.Zero, cols, p, (long)kg * p);
                for (int i = 0; i < n; i++)
                    Im2Col.Fold<T>(cols.AsSpan(i * kg * p, kg * p), p, 0, g, y.Slice(i * imageOut + grp * outPlane, outPlane));
            }
        }
        finally { ArrayPool<T>.Shared.Return(cols); }
        if (!bias.IsEmpty) AddBias(bias, y, n, groups * g.Channels, g.Height * g.Width);
    }

    /// <summary>Transposed convolution backward (dx overwritten, dw overwritten, db overwritten; any may be empty).</summary>
    public static void TransposedBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> db,
        int n, int groups, int inChannels, in ConvGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = g.ColCols, kg = g.ColRows, cg = inChannels / groups, outPlane = g.Channels * g.Height * g.Width, imageOut = groups * outPlane;
        if (!db.IsEmpty) BiasGradient(dy, db, n, groups * g.Channels, g.Height * g.Width);
        var cols = ArrayPool<T>.Shared.Rent(n * kg * p);
        try
        {
            for (int grp = 0; grp < groups; grp++)
            {
                for (int i = 0; i < n; i++)
                    Im2Col.Unfold(dy.Slice(i * imageOut + grp * outPlane, outPlane), g, cols.AsSpan(i * kg * p, kg * p), p, 0);
                if (!dx.IsEmpty)   // dx[n, g] = W_g [Cg_in, Kg] · im2col(dy[n, g])
                    GemmOf<T>.Batched(false, false, n, cg, p, kg, T.One, w[(grp * cg * kg)..], kg, 0,
                        cols, p, (long)kg * p, T.Zero, dx[(grp * cg * p)..], p, (long)inChannels * p);
                if (!dw.IsEmpty)   // dW_g = Σ_n x[n, g] · im2col(dy[n, g])ᵀ
                    for (int i = 0; i < n; i++)
                        GemmOf<T>.Batched(false, true, 1, cg, kg, p, T.One, x[((i * inChannels + grp * cg) * p)..], p, 0,
                            cols.AsSpan(i * kg * p, kg * p), p, 0, i == 0 ? T.Zero : T.One, dw.Slice(grp * cg * kg, cg * kg), kg, 0);
            }
        }
        finally { ArrayPool<T>.Shared.Return(cols); }
    }

    private static void FillBias<T>(ReadOnlySpan<T> bias, Span<T> y, int n, int channels, int plane) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bias.IsEmpty) return;
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++) y.Slice((i * channels + c) * plane, plane).Fill(bias[c]);
    }

    private static void AddBias<T>(ReadOnlySpan<T> bias, Span<T> y, int n, int channels, int plane) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
            {
                var s = y.Slice((i * channels + c) * plane, plane);
                System.Numerics.Tensors.TensorPrimitives.Add(s, bias[c], s);
            }
    }

    private static void BiasGradient<T>(ReadOnlySpan<T> dy, Span<T> db, int n, int channels, int plane) where T : unmanaged, IFloatingPointIeee754<T>
    {
        db[..channels].Clear();
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++) db[c] += System.Numerics.Tensors.TensorPrimitives.Sum(dy.Slice((i * channels + c) * plane, plane));
    }
}
