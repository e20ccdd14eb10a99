using Nabla.Kernels.Fft;
using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>The STFT X[b, k, t] = s·Σₙ w[n]·x̃[b, t·hop + n]·e^{−2πikn/N} of signals x [B, T] (x̃ padded as the geometry says),
/// as complex64 [B, bins, frames] or as (re, im) pairs [B, bins, frames, 2] of x's dtype (torch.stft, return_complex).</summary>
/// <remarks>X is linear in x, so dx is its adjoint applied to dX: each frame's gradient is s·w[n]·Re Σₖ G′ₖ·e^{+2πikn/N}
/// (a one-sided G′ halved on interior bins, which stand for themselves and their mirrors), overlap-added over frames and
/// folded back through the padding. The window is a constant.</remarks>
internal sealed class StftOp : Node
{
    private readonly StftGeometry g;
    private readonly Tensor window;
    private readonly double scale;

    private StftOp(Tensor x, Tensor window, StftGeometry g, double scale) : base(x)
    {
        this.g = g;
        this.window = window;
        this.scale = scale;
    }

    public override string Name => "Stft";

    public static Tensor Apply(Tensor x, Tensor window, StftGeometry g, double scale, bool returnComplex)
    {
        var xc = x.ContiguousRaw();
        var wc = window.ContiguousRaw();
        Tensor y;
        if (x.DType == DType.Float32 && returnComplex)
        {
            y = Tensor.Uninitialized([g.Batch, g.Bins, g.Frames], DType.Complex64);
            StftKernel.Analyze<float>(xc.Span<float>(), wc.Span<float>(), SpectralArgs.Floats(y), g, SpectrumOutput.Complex, scale: scale);
        }
        else
        {
            y = Tensor.Uninitialized([g.Batch, g.Bins, g.Frames, 2], x.DType);
            if (x.DType == DType.Float32) StftKernel.Analyze<float>(xc.Span<float>(), wc.Span<float>(), y.Span<float>(), g, SpectrumOutput.Complex, scale: scale);
            else StftKernel.Analyze<double>(xc.Span<double>(), wc.Span<double>(), y.Span<double>(), g, SpectrumOutput.Complex, scale: scale);
            if (returnComplex) y = ComplexDriver.FromPairs(y);
        }
        return Graph.ShouldRecord(x) ? Graph.Record(y, new StftOp(x, wc, g, scale)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var pairs = SpectralArgs.Pairs(dy, window.DType);
        var frames = Tensor.Uninitialized([g.Batch, g.Frames, g.NFft], window.DType);
        if (window.DType == DType.Float32)
        {
            StftKernel.SynthesizeComplex<float>(pairs.Span<float>(), window.Span<float>(), frames.Span<float>(), g, scale, halveInterior: true);
            AddGrad(0, SpectralArgs.FoldFrames<float>(frames, g));
        }
        else
        {
            StftKernel.SynthesizeComplex<double>(pairs.Span<double>(), window.Span<double>(), frames.Span<double>(), g, scale, halveInterior: true);
            AddGrad(0, SpectralArgs.FoldFrames<double>(frames, g));
        }
    }
}
