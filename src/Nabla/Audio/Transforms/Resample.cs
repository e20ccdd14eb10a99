using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>Band-limited resampling of waveforms [..., time] with a precomputed windowed-sinc kernel (buffer "kernel")
/// (<c>torchaudio.transforms.Resample</c>, the same defaults). See <see cref="AudioFunctional.Resample"/>.</summary>
public sealed class Resample : Module<Tensor, Tensor>
{
    private readonly int origFreq, newFreq, width;

    /// <summary>Creates the transform.</summary>
    /// <param name="origFreq">The input's sample rate.</param>
    /// <param name="newFreq">The output's sample rate.</param>
    /// <param name="lowpassFilterWidth">Zero crossings of the sinc kept on each side.</param>
    /// <param name="rolloff">Cut-off as a fraction of the lower Nyquist frequency.</param>
    public Resample(int origFreq = 16000, int newFreq = 16000, int lowpassFilterWidth = 6, double rolloff = 0.99)
    {
        if (origFreq <= 0 || newFreq <= 0)
            throw new ArgumentOutOfRangeException(nameof(origFreq), $"Resample: sample rates must be positive; got {origFreq} → {newFreq}.");
        this.origFreq = origFreq;
        this.newFreq = newFreq;
        if (origFreq == newFreq) return;
        (var kernel, width) = AudioFunctional.ResampleKernel(origFreq, newFreq, lowpassFilterWidth, rolloff, DType.Float32);
        Kernel = RegisterBuffer("kernel", kernel);
    }

    /// <summary>The filters [new/g, 1, taps] (buffer "kernel"); null when the rates are equal.</summary>
    public Tensor? Kernel { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        Kernel is null ? input : AudioFunctional.ApplyResampleKernel(input, origFreq, newFreq, Kernel, width);
}
