using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>The mel spectrogram of waveforms [..., time] → [..., n_mels, frames]: <see cref="Spectrogram"/> then
/// <see cref="MelScale"/> (<c>torchaudio.transforms.MelSpectrogram</c>, the same defaults and state-dict names
/// "spectrogram.window", "mel_scale.fb"), fused into one pass. Differentiable with respect to the waveform.</summary>
public sealed class MelSpectrogram : Module<Tensor, Tensor>
{
    /// <summary>torchaudio's transform.</summary>
    /// <param name="sampleRate">The audio's sample rate.</param>
    /// <param name="nFft">N.</param>
    /// <param name="winLength">Window length; default N.</param>
    /// <param name="hopLength">Samples between frames; default win_length / 2.</param>
    /// <param name="fMin">Lowest frequency.</param>
    /// <param name="fMax">Highest frequency; default ⌊sample_rate/2⌋.</param>
    /// <param name="pad">Zeros added on both sides first.</param>
    /// <param name="nMels">Mel bands.</param>
    /// <param name="window">The window function (periodic).</param>
    /// <param name="power">1 magnitude, 2 power.</param>
    /// <param name="normalized">Divide by √(Σ w²).</param>
    /// <param name="center">Pad N/2 on each side.</param>
    /// <param name="padMode">How the centre padding is made.</param>
    /// <param name="norm">Triangle scaling.</param>
    /// <param name="melScale">The Hz ↔ mel mapping.</param>
    public MelSpectrogram(int sampleRate = 16000, int nFft = 400, int? winLength = null, int? hopLength = null, double fMin = 0, double? fMax = null,
        int pad = 0, int nMels = 128, WindowFunction window = WindowFunction.Hann, double power = 2.0, bool normalized = false, bool center = true,
        PadMode padMode = PadMode.Reflect, MelNorm norm = MelNorm.None, MelScaleKind melScale = MelScaleKind.Htk)
        : this(new Spectrogram(nFft, winLength, hopLength, pad, window, power, normalized, center, padMode),
               new MelScale(nMels, sampleRate, fMin, fMax, nFft / 2 + 1, norm, melScale))
    {
        SampleRate = sampleRate;
    }

    /// <summary>Any spectrogram and mel projection (the presets use this for librosa's basis).</summary>
    public MelSpectrogram(Spectrogram spectrogram, MelScale melScale, int sampleRate = 0)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        ArgumentNullException.ThrowIfNull(melScale);
        if (spectrogram.Power is null) throw new ArgumentException("MelSpectrogram: the spectrogram must have a power (1 or 2), not be complex.", nameof(spectrogram));
        if (melScale.Filterbank.Shape[0] != spectrogram.Bins)
            throw new ArgumentException($"MelSpectrogram: the filterbank has {melScale.Filterbank.Shape[0]} rows but the spectrogram {spectrogram.Bins} bins.", nameof(melScale));
        Spectrogram = RegisterModule("spectrogram", spectrogram);
        MelScale = RegisterModule("mel_scale", melScale);
        SampleRate = sampleRate;
    }

    /// <summary>The STFT power stage.</summary>
    public Spectrogram Spectrogram { get; }

    /// <summary>The mel projection.</summary>
    public MelScale MelScale { get; }

    /// <summary>The sample rate the filterbank was made for (0 when unknown).</summary>
    public int SampleRate { get; }

    /// <inheritdoc/>
    /// <remarks>Runs both stages in one fused kernel (the power spectrogram never goes to memory), so the child modules'
    /// forward hooks do not run.</remarks>
    public override Tensor Forward(Tensor input) => Spectrogram.Project(input, MelScale.Filterbank);
}
