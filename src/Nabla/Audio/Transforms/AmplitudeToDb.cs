using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>A power or amplitude spectrogram in decibels (<c>torchaudio.transforms.AmplitudeToDB</c>, the same defaults):
/// multiplier·log10(max(x, amin)) − multiplier·log10(max(amin, reference)), clipped to top_db below the peak.</summary>
/// <param name="stype">Power (multiplier 10) or magnitude (multiplier 20).</param>
/// <param name="topDb">Dynamic range kept below the peak; null keeps everything (torchaudio's default).</param>
/// <param name="amin">Floor of x; torchaudio's 1e-10 for both types.</param>
/// <param name="reference">The value that maps to 0 dB.</param>
/// <param name="scope">Where the peak is taken: <see cref="TopDbScope.Channels"/> for torchaudio, <see cref="TopDbScope.Spectrogram"/> for librosa.</param>
public sealed class AmplitudeToDb(SpectrumType stype = SpectrumType.Power, double? topDb = null, double amin = 1e-10, double reference = 1.0,
    TopDbScope scope = TopDbScope.Channels) : Module<Tensor, Tensor>
{
    /// <summary>10 for power, 20 for magnitude.</summary>
    public double Multiplier { get; } = stype == SpectrumType.Power ? 10 : 20;

    /// <summary>The dynamic range kept below the peak, or null.</summary>
    public double? TopDb { get; } = topDb;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        AudioFunctional.Decibels(input, Multiplier, amin, Math.Log10(Math.Max(amin, reference)), TopDb, scope);
}
