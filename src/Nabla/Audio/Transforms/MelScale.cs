using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>Projects a spectrogram [..., n_stft, time] onto mel bands → [..., n_mels, time] with a triangular filterbank
/// (buffer "fb", [n_stft, n_mels]) (<c>torchaudio.transforms.MelScale</c>, the same defaults).</summary>
public sealed class MelScale : Module<Tensor, Tensor>
{
    /// <summary>torchaudio's filterbank (<see cref="AudioFunctional.MelFilterbank"/>).</summary>
    /// <param name="nMels">Mel bands.</param>
    /// <param name="sampleRate">The audio's sample rate.</param>
    /// <param name="fMin">Lowest frequency.</param>
    /// <param name="fMax">Highest frequency; default ⌊sample_rate/2⌋.</param>
    /// <param name="nStft">STFT bins (n_fft/2 + 1).</param>
    /// <param name="norm">Triangle scaling.</param>
    /// <param name="melScale">The Hz ↔ mel mapping.</param>
    public MelScale(int nMels = 128, int sampleRate = 16000, double fMin = 0, double? fMax = null, int nStft = 201,
        MelNorm norm = MelNorm.None, MelScaleKind melScale = MelScaleKind.Htk)
        : this(AudioFunctional.MelFilterbank(nStft, fMin, fMax ?? sampleRate / 2, nMels, sampleRate, norm, melScale)) { }

    /// <summary>A given filterbank [n_stft, n_mels], e.g. librosa's basis transposed.</summary>
    public MelScale(Tensor filterbank)
    {
        ArgumentNullException.ThrowIfNull(filterbank);
        if (filterbank.Dim != 2) throw new ArgumentException($"MelScale: the filterbank must be [n_stft, n_mels]; got [{string.Join(", ", filterbank.Shape)}].", nameof(filterbank));
        Filterbank = RegisterBuffer("fb", filterbank.Contiguous());
    }

    /// <summary>fb [n_stft, n_mels] (buffer "fb").</summary>
    public Tensor Filterbank { get; }

    /// <summary>Mel bands.</summary>
    public int NMels => Filterbank.Shape[1];

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => AudioFunctional.MelScale(input, Filterbank);

    /// <inheritdoc/>
    public override string Describe() => $"MelScale(n_stft={Filterbank.Shape[0]}, n_mels={NMels})";
}
