using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio;

public static partial class AudioFunctional
{
    /// <summary>Band-limited resampling from <paramref name="origFreq"/> to <paramref name="newFreq"/> Hz by windowed-sinc
    /// interpolation (<c>torchaudio.functional.resample</c>, method "sinc_interp_hann"); [..., ⌈new·T/orig⌉].</summary>
    /// <param name="waveform">[..., time].</param>
    /// <param name="origFreq">The input's sample rate.</param>
    /// <param name="newFreq">The output's sample rate.</param>
    /// <param name="lowpassFilterWidth">Zero crossings of the sinc kept on each side.</param>
    /// <param name="rolloff">The cut-off as a fraction of the lower Nyquist frequency: below 1 to leave room for the filter's roll-off.</param>
    /// <remarks>With both rates divided by their gcd, output j of every block of new samples is
    /// y[j] = Σᵢ x[i]·h_j(i), h the low-pass sinc(π·f_c·τ)·cos²(π·f_c·τ/(2·width))·f_c/orig at τ = i/orig − j/new, f_c = min(orig, new)·rolloff;
    /// a strided 1-D convolution with new filters, each of 2·⌈width·orig/f_c⌉ + orig taps. Differentiable.</remarks>
    public static Tensor Resample(Tensor waveform, int origFreq, int newFreq, int lowpassFilterWidth = 6, double rolloff = 0.99)
    {
        ArgumentNullException.ThrowIfNull(waveform);
        if (origFreq <= 0 || newFreq <= 0)
            throw new ArgumentOutOfRangeException(nameof(origFreq), $"Resample: sample rates must be positive; got {origFreq} → {newFreq}.");
        if (origFreq == newFreq) return waveform;
        var (kernel, width) = ResampleKernel(origFreq, newFreq, lowpassFilterWidth, rolloff, waveform.DType);
        return ApplyResampleKernel(waveform, origFreq, newFreq, kernel, width);
    }

    /// <summary>The sinc filters [new/g, 1, 2·width + orig/g] and the padding width (torchaudio's _get_sinc_resample_kernel).</summary>
    internal static (Tensor Kernel, int Width) ResampleKernel(int origFreq, int newFreq, int lowpassFilterWidth, double rolloff, DType dtype)
    {
        if (lowpassFilterWidth <= 0) throw new ArgumentOutOfRangeException(nameof(lowpassFilterWidth), lowpassFilterWidth, "Resample: the low-pass filter width must be positive.");
        if (!(rolloff > 0 && rolloff <= 1)) throw new ArgumentOutOfRangeException(nameof(rolloff), rolloff, "Resample: rolloff must be in (0, 1].");
        int gcd = Gcd(origFreq, newFreq), orig = origFreq / gcd, target = newFreq / gcd;
        double baseFreq = Math.Min(orig, target) * rolloff;
        int width = (int)Math.Ceiling(lowpassFilterWidth * orig / baseFreq);
        int taps = 2 * width + orig;
        var kernel = new double[target * taps];
        for (int j = 0; j < target; j++)
            for (int i = 0; i < taps; i++)
            {
                double t = (-(double)j / target + (double)(i - width) / orig) * baseFreq;
                t = Math.Clamp(t, -lowpassFilterWidth, lowpassFilterWidth);
                double window = Math.Pow(Math.Cos(t * Math.PI / lowpassFilterWidth / 2), 2);
                t *= Math.PI;
                kernel[j * taps + i] = (t == 0 ? 1 : Math.Sin(t) / t) * window * baseFreq / orig;
            }
        return (Tensor.FromArray<double>(kernel, [target, 1, taps]).To(dtype), width);
    }

    /// <summary>Applies filters from <see cref="ResampleKernel"/>: pad (width, width + orig), stride-orig convolution, interleave, trim.</summary>
    internal static Tensor ApplyResampleKernel(Tensor waveform, int origFreq, int newFreq, Tensor kernel, int width)
    {
        int gcd = Gcd(origFreq, newFreq), orig = origFreq / gcd, target = newFreq / gcd;
        if (waveform.Dim == 0) throw new ArgumentException("Resample: the waveform needs a time dimension.", nameof(waveform));
        int[] lead = [.. waveform.Shape.Take(waveform.Dim - 1)];
        int length = waveform.Shape[^1];
        var x = waveform.Reshape([-1, 1, length]).Pad([width, width + orig]);
        var y = Functional.Conv1d(x, kernel.To(waveform.DType), stride: orig);   // [B, target, blocks]
        int batch = y.Shape[0];
        y = y.Transpose(1, 2).Reshape([batch, -1]);
        int outLength = (int)Math.Ceiling((double)target * length / orig);
        return y.Narrow(-1, 0, Math.Min(outLength, y.Shape[1])).Reshape([.. lead, -1]);
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
