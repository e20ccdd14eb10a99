using System.Globalization;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>|STFT(x)|^power of waveforms [..., time] → [..., n_fft/2 + 1, frames] (<c>torchaudio.transforms.Spectrogram</c>,
/// the same defaults); with power null, the complex STFT.</summary>
/// <remarks>The window (buffer "window") is the periodic window function of win_length samples, zero-padded to n_fft in
/// the centre. See <see cref="AudioFunctional.Spectrogram"/>.</remarks>
public sealed class Spectrogram : Module<Tensor, Tensor>
{
    private readonly bool normalized, onesided;
    private readonly int pad;

    /// <summary>Creates the transform.</summary>
    /// <param name="nFft">N.</param>
    /// <param name="winLength">Window length; default N.</param>
    /// <param name="hopLength">Samples between frames; default win_length / 2.</param>
    /// <param name="pad">Zeros added on both sides first.</param>
    /// <param name="window">The window function.</param>
    /// <param name="power">1 magnitude, 2 power, null complex.</param>
    /// <param name="normalized">Divide by √(Σ w²).</param>
    /// <param name="center">Pad N/2 on each side.</param>
    /// <param name="padMode">How the centre padding is made.</param>
    /// <param name="onesided">Keep bins [0, N/2].</param>
    public Spectrogram(int nFft = 400, int? winLength = null, int? hopLength = null, int pad = 0, WindowFunction window = WindowFunction.Hann,
        double? power = 2.0, bool normalized = false, bool center = true, PadMode padMode = PadMode.Reflect, bool onesided = true)
    {
        int win = winLength ?? nFft;
        if (win < 1 || win > nFft) throw new ArgumentOutOfRangeException(nameof(winLength), win, $"Spectrogram: win_length must be in [1, n_fft = {nFft}].");
        NFft = nFft;
        HopLength = hopLength ?? Math.Max(1, win / 2);
        Power = power;
        Center = center;
        PadMode = padMode;
        this.normalized = normalized;
        this.onesided = onesided;
        this.pad = pad;
        Window = RegisterBuffer("window", Windows.Create(window, win, periodic: true));
    }

    /// <summary>N.</summary>
    public int NFft { get; }

    /// <summary>Samples between frames.</summary>
    public int HopLength { get; }

    /// <summary>The exponent, or null for the complex STFT.</summary>
    public double? Power { get; }

    /// <summary>Whether frames are centred (N/2 padding on each side).</summary>
    public bool Center { get; }

    /// <summary>How the centre padding is made.</summary>
    public PadMode PadMode { get; }

    /// <summary>The window w [win_length] (buffer "window").</summary>
    public Tensor Window { get; }

    /// <summary>Frequency bins per frame.</summary>
    public int Bins => onesided ? NFft / 2 + 1 : NFft;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        AudioFunctional.Spectrogram(input, Window, NFft, HopLength, Power, normalized, Center, PadMode, onesided, pad);

    /// <summary>This spectrogram projected onto <paramref name="filterbank"/> [bins, n_mels] in one fused pass
    /// (<see cref="AudioFunctional.MelSpectrogram(Tensor, Tensor, int, int, Tensor, double, bool, bool, PadMode, int)"/>).</summary>
    internal Tensor Project(Tensor input, Tensor filterbank) =>
        onesided && Power is double p
            ? AudioFunctional.MelSpectrogram(input, Window, NFft, HopLength, filterbank, p, normalized, Center, PadMode, pad)
            : AudioFunctional.MelScale(Forward(input), filterbank);

    /// <inheritdoc/>
    public override string Describe() =>
        $"Spectrogram(n_fft={NFft}, win_length={Window.Shape[0]}, hop_length={HopLength}, power={Power?.ToString(CultureInfo.InvariantCulture) ?? "None"})";
}
