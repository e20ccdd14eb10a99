using System.Runtime.InteropServices;
using Nabla.Kernels.Fft;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Validation and plumbing shared by the spectral ops: the framing of a signal batch, windows, and the
/// (re, im) pair layout the kernels read and write.</summary>
internal static class SpectralArgs
{
    /// <summary>The framing of signals <paramref name="x"/> [B, T] for frames of <paramref name="nFft"/> every
    /// <paramref name="hop"/> samples, padded by N/2 on each side when <paramref name="center"/>.</summary>
    public static StftGeometry Frame(string op, Tensor x, Tensor window, int nFft, int hop, bool center, SignalPadding padding, bool onesided)
    {
        if (!x.DType.IsFloatingPoint()) Throw.DType(op, x.DType, "float32 or float64 signals");
        if (x.Dim != 2) Throw.Shape(op, "[batch, time]", ShapeUtil.Format(x.shape), $"{op}: signals must be [batch, time]; got {ShapeUtil.Format(x.shape)}.");
        if (nFft < 1) Throw.OutOfRange($"{op}: n_fft must be positive; got {nFft}.");
        if (hop < 1) Throw.OutOfRange($"{op}: hop_length must be positive; got {hop}.");
        CheckWindow(op, window, nFft, x.DType);
        int length = x.shape[1], pad = center ? nFft / 2 : 0;
        if (center && padding == SignalPadding.Reflect && pad >= length)
            Throw.Argument($"{op}: reflect padding of {pad} samples (n_fft / 2) must be less than the signal length {length}; use a shorter n_fft or constant padding.");
        long padded = (long)length + 2 * pad;
        if (padded < nFft)
            Throw.Argument($"{op}: the signal of {length} samples{(center ? $" (padded to {padded})" : "")} is shorter than n_fft = {nFft}.");
        int frames = (int)(1 + (padded - nFft) / hop);
        return new StftGeometry(x.shape[0], length, nFft, hop, frames, pad, padding, onesided);
    }

    /// <summary>Checks that a window is 1-D of length n_fft and the signals' dtype.</summary>
    public static void CheckWindow(string op, Tensor window, int nFft, DType dtype)
    {
        if (window.Dim != 1 || window.shape[0] != nFft)
            Throw.Shape(op, $"[{nFft}]", ShapeUtil.Format(window.shape), $"{op}: the window must be 1-D of length n_fft = {nFft} (pad shorter windows to it); got {ShapeUtil.Format(window.shape)}.");
        if (window.DType != dtype)
            Throw.Argument($"{op}: the window is {window.DType.TorchName()} but the signals are {dtype.TorchName()}.");
    }

    /// <summary>A complex64 tensor or a real one [..., 2] as contiguous (re, im) pairs of <paramref name="dtype"/>.</summary>
    public static Tensor Pairs(Tensor t, DType dtype) =>
        t.DType == DType.Complex64 ? ComplexDriver.ToPairs(t).ToRaw(dtype) : t.ToRaw(dtype);

    /// <summary>The complex64 view of a contiguous complex tensor's storage as interleaved floats.</summary>
    public static Span<float> Floats(Tensor complex) => MemoryMarshal.Cast<Complex64, float>(complex.Span<Complex64>());

    /// <summary>dx [B, T] from windowed frame gradients [B, frames, N]: overlap-add, then fold the padding back.</summary>
    public static Tensor FoldFrames<T>(Tensor frames, in StftGeometry g) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var padded = Tensor.Uninitialized([g.Batch, g.Covered], frames.DType);
        StftKernel.OverlapAdd<T>(frames.Span<T>(), padded.Span<T>(), g.Batch, g.Frames, g.NFft, g.Hop, g.Covered);
        var dx = Tensor.Uninitialized([g.Batch, g.Length], frames.DType);
        StftKernel.FoldPadding<T>(padded.Span<T>(), g.Covered, dx.Span<T>(), g);
        return dx;
    }
}
