using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Interpolate;

/// <summary>Nearest and bilinear resampling of planes [P, H, W] → [P, outH, outW], with PyTorch's source-coordinate
/// rules (upsample_nearest2d, _upsample_nearest_exact2d, upsample_bilinear2d), and their adjoints.</summary>
/// <remarks>
/// Both are separable: a table per axis maps each output index to its source index (nearest) or to two source
/// indices and weights (bilinear), computed once per call; the planes are then split across threads.
/// scale is the user's scale factor when one was given (0 otherwise): the coordinate step is then 1/scale, else in/out.
/// </remarks>
internal static unsafe class InterpolateKernel
{
    /// <summary>Nearest: src = min(⌊dst·step⌋, in − 1); nearest-exact: src = min(⌊(dst + ½)·step⌋, in − 1); the step is
    /// computed in float32, as PyTorch's CPU kernel does for every dtype.</summary>
    public static void NearestIndices(int inSize, int outSize, double scale, bool exact, Span<int> src)
    {
        float step = scale > 0 ? (float)(1.0 / scale) : (float)inSize / outSize;
        for (int o = 0; o < outSize; o++)
        {
            float position = exact ? (float)((o + 0.5) * step) : o * step;
            src[o] = Math.Min((int)MathF.Floor(position), inSize - 1);
        }
    }

    /// <summary>Linear interpolation along one axis: out[o] = w0[o]·in[i0[o]] + w1[o]·in[i1[o]].</summary>
    /// <remarks>With align_corners the step is (in − 1)/(out − 1) and src = step·dst; otherwise the step is 1/scale or
    /// in/out and src = max(step·(dst + ½) − ½, 0). Then i0 = min(⌊src⌋, in − 1), w1 = clamp(src − i0, 0, 1), w0 = 1 − w1,
    /// i1 = i0 + 1 unless i0 is the last index. Arithmetic in <typeparamref name="T"/>, PyTorch's opmath for float and double.</remarks>
    public static void LinearIndices<T>(int inSize, int outSize, bool alignCorners, double scale, Span<int> i0, Span<int> i1, Span<T> w0, Span<T> w1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T step = alignCorners
            ? outSize > 1 ? T.CreateTruncating(inSize - 1) / T.CreateTruncating(outSize - 1) : T.Zero
            : scale > 0 ? T.CreateTruncating(1.0 / scale) : T.CreateTruncating(inSize) / T.CreateTruncating(outSize);
        T half = T.CreateTruncating(0.5);
        for (int o = 0; o < outSize; o++)
        {
            T dst = T.CreateTruncating(o);
            T src = alignCorners ? step * dst : T.Max(step * (dst + half) - half, T.Zero);
            int index = Math.Min(int.CreateTruncating(T.Floor(src)), inSize - 1);
            T lambda = T.Clamp(src - T.CreateTruncating(index), T.Zero, T.One);
            (i0[o], i1[o], w0[o], w1[o]) = (index, index < inSize - 1 ? index + 1 : index, T.One - lambda, lambda);
        }
    }

    public static void NearestForward<T>(ReadOnlySpan<T> x, Span<T> y, int planes, int h, int w, ReadOnlySpan<int> rows, ReadOnlySpan<int> cols)
        where T : unmanaged
    {
        fixed (T* px = x)
        fixed (T* py = y)
        fixed (int* pr = rows)
        fixed (int* pc = cols)
            RangeParallel.Run(new NearestJob<T>(px, py, pr, pc, h, w, rows.Length, cols.Length), planes, (long)rows.Length * cols.Length);
    }

    /// <summary>dx (overwritten): each dy added to the source pixel it was copied from.</summary>
    public static void NearestBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int planes, int h, int w, ReadOnlySpan<int> rows, ReadOnlySpan<int> cols)
        where T : unmanaged, INumberBase<T>
    {
        fixed (T* pdy = dy)
        fixed (T* pdx = dx)
        fixed (int* pr = rows)
        fixed (int* pc = cols)
            RangeParallel.Run(new NearestBackwardJob<T>(pdy, pdx, pr, pc, h, w, rows.Length, cols.Length), planes, (long)rows.Length * cols.Length + (long)h * w);
    }

    /// <summary>y = (x[r0, c0]·wc0 + x[r0, c1]·wc1)·wr0 + (x[r1, c0]·wc0 + x[r1, c1]·wc1)·wr1, height outermost as in PyTorch.</summary>
    public static void BilinearForward<T>(ReadOnlySpan<T> x, Span<T> y, int planes, int h, int w, LinearTable<T> rows, LinearTable<T> cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x)
        fixed (T* py = y)
        fixed (int* r0 = rows.I0, r1 = rows.I1, c0 = cols.I0, c1 = cols.I1)
        fixed (T* rw0 = rows.W0, rw1 = rows.W1, cw0 = cols.W0, cw1 = cols.W1)
            RangeParallel.Run(new BilinearJob<T>(px, py, new(r0, r1, rw0, rw1, rows.Count), new(c0, c1, cw0, cw1, cols.Count), h, w, backward: false),
                planes, 8L * rows.Count * cols.Count);
    }

    /// <summary>dx (overwritten): dy·wr·wc added to each of the four source pixels.</summary>
    public static void BilinearBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int planes, int h, int w, LinearTable<T> rows, LinearTable<T> cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pdy = dy)
        fixed (T* pdx = dx)
        fixed (int* r0 = rows.I0, r1 = rows.I1, c0 = cols.I0, c1 = cols.I1)
        fixed (T* rw0 = rows.W0, rw1 = rows.W1, cw0 = cols.W0, cw1 = cols.W1)
            RangeParallel.Run(new BilinearJob<T>(pdy, pdx, new(r0, r1, rw0, rw1, rows.Count), new(c0, c1, cw0, cw1, cols.Count), h, w, backward: true),
                planes, 8L * rows.Count * cols.Count + (long)h * w);
    }

    private readonly struct NearestJob<T>(T* x, T* y, int* rows, int* cols, int h, int w, int outH, int outW) : IRangeJob where T : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int p = start; p < end; p++)
            {
                T* plane = x + (long)p * h * w;
                T* output = y + (long)p * outH * outW;
                for (int oy = 0; oy < outH; oy++)
                {
                    T* src = plane + (long)rows[oy] * w;
                    T* dst = output + (long)oy * outW;
                    for (int ox = 0; ox < outW; ox++) dst[ox] = src[cols[ox]];
                }
            }
        }
    }

    private readonly struct NearestBackwardJob<T>(T* dy, T* dx, int* rows, int* cols, int h, int w, int outH, int outW) : IRangeJob where T : unmanaged, INumberBase<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (int p = start; p < end; p++)
            {
                T* plane = dx + (long)p * h * w;
                T* grad = dy + (long)p * outH * outW;
                new Span<T>(plane, h * w).Clear();
                for (int oy = 0; oy < outH; oy++)
                {
                    T* dst = plane + (long)rows[oy] * w;
                    T* src = grad + (long)oy * outW;
                    for (int ox = 0; ox < outW; ox++) dst[cols[ox]] += src[ox];
                }
            }
        }
    }

    /// <summary>One axis's table as pointers, for the jobs.</summary>
    private readonly struct Axis<T>(int* i0, int* i1, T* w0, T* w1, int count) where T : unmanaged
    {
        public readonly int* I0 = i0, I1 = i1;
        public readonly T* W0 = w0, W1 = w1;
        public readonly int Count = count;
    }

    private readonly struct BilinearJob<T>(T* src, T* dst, Axis<T> rows, Axis<T> cols, int h, int w, bool backward) : IRangeJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            long inPlane = (long)h * w, outPlane = (long)rows.Count * cols.Count;
            for (int p = start; p < end; p++)
            {
                if (backward) Backward(src + p * outPlane, dst + p * inPlane);
                else Forward(src + p * inPlane, dst + p * outPlane);
            }
        }

        private void Forward(T* x, T* y)
        {
            for (int oy = 0; oy < rows.Count; oy++)
            {
                T* top = x + (long)rows.I0[oy] * w, bottom = x + (long)rows.I1[oy] * w;
                T wr0 = rows.W0[oy], wr1 = rows.W1[oy];
                T* output = y + (long)oy * cols.Count;
                for (int ox = 0; ox < cols.Count; ox++)
                {
                    int c0 = cols.I0[ox], c1 = cols.I1[ox];
                    T wc0 = cols.W0[ox], wc1 = cols.W1[ox];
                    output[ox] = (top[c0] * wc0 + top[c1] * wc1) * wr0 + (bottom[c0] * wc0 + bottom[c1] * wc1) * wr1;
                }
            }
        }

        private void Backward(T* dy, T* dx)
        {
            new Span<T>(dx, h * w).Clear();
            for (int oy = 0; oy < rows.Count; oy++)
            {
                T* top = dx + (long)rows.I0[oy] * w, bottom = dx + (long)rows.I1[oy] * w;
                T wr0 = rows.W0[oy], wr1 = rows.W1[oy];
                T* grad = dy + (long)oy * cols.Count;
                for (int ox = 0; ox < cols.Count; ox++)
                {
                    int c0 = cols.I0[ox], c1 = cols.I1[ox];
                    T wc0 = cols.W0[ox], wc1 = cols.W1[ox], g = grad[ox];
                    top[c0] += wr0 * wc0 * g;
                    top[c1] += wr0 * wc1 * g;
                    bottom[c0] += wr1 * wc0 * g;
                    bottom[c1] += wr1 * wc1 * g;
                }
            }
        }
    }
}
