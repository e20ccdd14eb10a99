using Nabla.Kernels.Fft;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>The inverse STFT (torch.istft): frames f_t[n] = s·w[n]·Re Σₖ X[b, k, t]·e^{+2πikn/N} (s = 1/N, a one-sided X completed
/// as Hermitian), overlap-added, divided by the window envelope e[j] = Σ_t w[j − t·hop]², and cut to [start, start + length).</summary>
/// <remarks>
/// Input: complex64 [B, bins, frames] (output float32) or (re, im) pairs [B, bins, frames, 2] (output of their dtype).
/// Backward: the gradient of the kept samples, divided by the envelope, is analysed with the same window; one-sided interior
/// bins count twice (each stands for itself and its mirror) and the DC and Nyquist bins keep only their real parts:
/// dX[k] = s·c_k·Σₙ w[n]·g_t[n]·e^{−2πikn/N}, c_k = 2 inside, 1 at the ends.
/// </remarks>
internal sealed class IstftOp : Node
{
    private readonly StftGeometry g;   // Length = the overlap-added length, the domain of the frames
    private readonly Tensor window;
    private readonly double scale;
    private readonly double[] envelope;
    private readonly int start, length;

    private IstftOp(Tensor spectrum, Tensor window, StftGeometry g, double scale, double[] envelope, int start, int length) : base(spectrum)
    {
        this.g = g;
        this.window = window;
        this.scale = scale;
        this.envelope = envelope;
        this.start = start;
        this.length = length;
    }

    public override string Name => "Istft";

    /// <param name="spectrum">complex64 [B, bins, frames] or pairs [B, bins, frames, 2].</param>
    /// <param name="window">[N], the output dtype.</param>
    /// <param name="nFft">N.</param>
    /// <param name="hop">Samples between frames.</param>
    /// <param name="center">Whether the analysis padded N/2 on each side (then N/2 samples are cut from the start).</param>
    /// <param name="onesided">Whether the spectrum holds bins [0, N/2] of a real signal.</param>
    /// <param name="scale">s: 1/N, or 1/√N when the analysis was normalized.</param>
    /// <param name="requestedLength">The output length, or null for (frames − 1)·hop + N less the centre padding.</param>
    public static Tensor Apply(Tensor spectrum, Tensor window, int nFft, int hop, bool center, bool onesided, double scale, int? requestedLength)
    {
        const string op = "Istft";
        DType dtype = spectrum.DType == DType.Complex64 ? DType.Float32 : spectrum.DType;
        if (spectrum.DType != DType.Complex64 && (!spectrum.DType.IsFloatingPoint() || spectrum.Dim != 4 || spectrum.shape[3] != 2))
            Throw.Argument($"{op}: the spectrum must be complex64 [batch, bins, frames] or (re, im) pairs [batch, bins, frames, 2]; got {spectrum.DType.TorchName()} {ShapeUtil.Format(spectrum.shape)}.");
        if (spectrum.DType == DType.Complex64 && spectrum.Dim != 3)
            Throw.Shape(op, "[batch, bins, frames]", ShapeUtil.Format(spectrum.shape), $"{op}: the spectrum must be [batch, bins, frames]; got {ShapeUtil.Format(spectrum.shape)}.");
        if (hop < 1 || hop > nFft) Throw.OutOfRange($"{op}: hop_length must be in [1, n_fft = {nFft}]; got {hop}.");
        SpectralArgs.CheckWindow(op, window, nFft, dtype);
        int bins = onesided ? nFft / 2 + 1 : nFft, frames = spectrum.shape[2];
        if (spectrum.shape[1] != bins)
            Throw.Shape(op, $"{bins} bins", $"{spectrum.shape[1]} bins", $"{op}: a {(onesided ? "one-sided" : "two-sided")} spectrum for n_fft = {nFft} has {bins} frequency bins; got {spectrum.shape[1]} in {ShapeUtil.Format(spectrum.shape)}.");
        if (frames < 1) Throw.Argument($"{op}: the spectrum has no frames: {ShapeUtil.Format(spectrum.shape)}.");
        int expected = nFft + hop * (frames - 1);
        int first = center ? nFft / 2 : 0;
        int end = requestedLength is int l ? first + l : center ? expected - nFft / 2 : expected;
        if (end < first) Throw.OutOfRange($"{op}: length must be non-negative; got {requestedLength}.");
        var wc = window.ContiguousRaw();
        var envelope = Envelope(wc, expected, frames, hop);
        for (int j = first; j < Math.Min(end, expected); j++)
            if (Math.Abs(envelope[j]) < 1e-11)
                Throw.Argument($"{op}: the window's overlap-add envelope Σ w[j − t·hop]² is {envelope[j]:G3} at sample {j - first} (below 1e-11): window and hop_length = {hop} violate the nonzero overlap-add (NOLA) condition.");
        var g = new StftGeometry(spectrum.shape[0], expected, nFft, hop, frames, 0, SignalPadding.Constant, onesided);
        var pairs = SpectralArgs.Pairs(spectrum, dtype);
        var y = dtype == DType.Float32
            ? Synthesize<float>(pairs, wc, g, scale, envelope, first, end - first)
            : Synthesize<double>(pairs, wc, g, scale, envelope, first, end - first);
        return Graph.ShouldRecord(spectrum) ? Graph.Record(y, new IstftOp(spectrum, wc, g, scale, envelope, first, end - first)) : y;
    }

    /// <summary>e[j] = Σ_t w[j − t·hop]² over the frames covering j.</summary>
    private static double[] Envelope(Tensor window, int expected, int frames, int hop)
    {
        var w = window.ToRaw(DType.Float64).Span<double>();
        var e = new double[expected];
        for (int t = 0; t < frames; t++)
            for (int n = 0; n < w.Length; n++) e[t * hop + n] += w[n] * w[n];
        return e;
    }

    private static Tensor Synthesize<T>(Tensor pairs, Tensor window, in StftGeometry g, double scale, double[] envelope, int first, int length)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var frames = Tensor.Uninitialized([g.Batch, g.Frames, g.NFft], window.DType);
        StftKernel.SynthesizeComplex<T>(pairs.Span<T>(), window.Span<T>(), frames.Span<T>(), g, scale, halveInterior: false);
        var full = Tensor.Uninitialized([g.Batch, g.Length], window.DType);
        StftKernel.OverlapAdd<T>(frames.Span<T>(), full.Span<T>(), g.Batch, g.Frames, g.NFft, g.Hop, g.Length);
        var y = Tensor.Uninitialized([g.Batch, length], window.DType);
        var f = full.Span<T>();
        var o = y.Span<T>();
        for (int b = 0; b < g.Batch; b++)
            for (int i = 0; i < length; i++)
            {
                int j = first + i;
                o[b * length + i] = j < g.Length ? f[b * g.Length + j] / T.CreateTruncating(envelope[j]) : T.Zero;
            }
        return y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var d = dy.ContiguousRaw();
        var full = Tensor.Zeros([g.Batch, g.Length], window.DType);
        var pairs = Tensor.Uninitialized([g.Batch, g.Bins, g.Frames, 2], window.DType);
        if (window.DType == DType.Float32) Analyze<float>(d, full, pairs);
        else Analyze<double>(d, full, pairs);
        var input = Inputs[0]!;   // NeedsGrad(0): the only input, present whenever backward runs
        AddGrad(0, input.DType == DType.Complex64 ? ComplexDriver.FromPairs(pairs) : pairs);
    }

    private void Analyze<T>(Tensor dy, Tensor full, Tensor pairs) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var src = dy.Span<T>();
        var f = full.Span<T>();
        for (int b = 0; b < g.Batch; b++)
            for (int i = 0; i < length && start + i < g.Length; i++)
                f[b * g.Length + start + i] = src[b * length + i] / T.CreateTruncating(envelope[start + i]);
        StftKernel.Analyze<T>(f, window.Span<T>(), pairs.Span<T>(), g, SpectrumOutput.Complex, scale: scale, hermitianAdjoint: g.Onesided);
    }
}
