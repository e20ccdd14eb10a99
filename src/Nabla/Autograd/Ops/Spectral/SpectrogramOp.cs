using System.Runtime.CompilerServices;
using Nabla.Kernels.Fft;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>S[b, k, t] = |X[b, k, t]|^p, X the STFT of x [B, T] (torchaudio's spectrogram with a power), fused: no complex
/// tensor is formed. With a filterbank W [bins, rows] it returns M[b, m, t] = Σ_k W[k, m]·S[b, k, t] (the mel spectrogram),
/// projected tile by tile inside the kernel over each row's band of nonzero bins, so S never goes to memory.</summary>
/// <remarks>∂L/∂S = Wᵀ-projected ∂L/∂M when projecting; ∂L/∂X = ∂L/∂S·p·|X|^{p−2}·X (0 where X = 0 for p &lt; 2), with X
/// recomputed from the saved x; then the STFT's adjoint as in <see cref="StftOp"/>. Window and filterbank are constants.</remarks>
internal sealed class SpectrogramOp : Node
{
    private static readonly ConditionalWeakTable<Tensor, Projection> s_projections = [];

    private readonly StftGeometry g;
    private readonly Tensor window;
    private readonly double exponent;
    private readonly object? projection;
    private SavedTensor x;

    private SpectrogramOp(Tensor x, Tensor window, StftGeometry g, double exponent, object? projection) : base(x)
    {
        this.g = g;
        this.window = window;
        this.exponent = exponent;
        this.projection = projection;
        this.x = Save(x);
    }

    public override string Name => projection is null ? "Spectrogram" : "MelSpectrogram";

    public static Tensor Apply(Tensor x, Tensor window, StftGeometry g, double exponent, Tensor? filterbank = null)
    {
        if (!(exponent > 0)) Throw.OutOfRange($"Spectrogram: power must be positive; got {exponent}.");
        var xc = x.ContiguousRaw();
        var wc = window.ContiguousRaw();
        object? bands = filterbank is null ? null : Bands(filterbank, g.Bins, x.DType);
        int rows = filterbank?.Shape[1] ?? g.Bins;
        var y = Tensor.Uninitialized([g.Batch, rows, g.Frames], x.DType);
        if (x.DType == DType.Float32)
        {
            if (bands is BandProjection<float> p) StftKernel.AnalyzeProjected<float>(xc.Span<float>(), wc.Span<float>(), y.Span<float>(), g, exponent, p);
            else StftKernel.Analyze<float>(xc.Span<float>(), wc.Span<float>(), y.Span<float>(), g, SpectrumOutput.Power, exponent);
        }
        else
        {
            if (bands is BandProjection<double> p) StftKernel.AnalyzeProjected<double>(xc.Span<double>(), wc.Span<double>(), y.Span<double>(), g, exponent, p);
            else StftKernel.Analyze<double>(xc.Span<double>(), wc.Span<double>(), y.Span<double>(), g, SpectrumOutput.Power, exponent);
        }
        return Graph.ShouldRecord(x) ? Graph.Record(y, new SpectrogramOp(xc, wc, g, exponent, bands)) : y;
    }

    /// <summary>The band form of a filterbank [bins, rows], cached per tensor (and rebuilt if it changes in place).</summary>
    private static object Bands(Tensor filterbank, int bins, DType dtype)
    {
        const string op = "MelSpectrogram";
        if (filterbank.Dim != 2 || filterbank.Shape[0] != bins)
            Throw.Shape(op, $"[{bins}, n_mels]", ShapeUtil.Format(filterbank.ShapeSpan), $"{op}: the filterbank must be [bins, n_mels] with {bins} bins; got {ShapeUtil.Format(filterbank.ShapeSpan)}.");
        if (s_projections.TryGetValue(filterbank, out var cached) && cached.Version == filterbank.Version && cached.DType == dtype) return cached.Bands;
        var dense = filterbank.ToRaw(dtype);
        object bands = dtype == DType.Float32
            ? new BandProjection<float>(dense.Span<float>(), bins, filterbank.Shape[1])
            : new BandProjection<double>(dense.Span<double>(), bins, filterbank.Shape[1]);
        s_projections.AddOrUpdate(filterbank, new Projection(filterbank.Version, dtype, bands));
        return bands;
    }

    private sealed record Projection(int Version, DType DType, object Bands);

    protected internal override void Backward(Tensor dy)
    {
        var xs = x.Value;
        var d = dy.ContiguousRaw();
        var frames = Tensor.Uninitialized([g.Batch, g.Frames, g.NFft], xs.DType);
        if (xs.DType == DType.Float32)
        {
            StftKernel.SynthesizePower<float>(d.Span<float>(), xs.Span<float>(), window.Span<float>(), frames.Span<float>(), g, exponent, projection as BandProjection<float>);
            AddGrad(0, SpectralArgs.FoldFrames<float>(frames, g));
        }
        else
        {
            StftKernel.SynthesizePower<double>(d.Span<double>(), xs.Span<double>(), window.Span<double>(), frames.Span<double>(), g, exponent, projection as BandProjection<double>);
            AddGrad(0, SpectralArgs.FoldFrames<double>(frames, g));
        }
    }

    protected internal override void ReleaseSaved() => x = default;
}
