using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Audio.Transforms;

/// <summary>Waveforms from |STFT|^power spectrograms [..., n_fft/2 + 1, frames] by fast Griffin–Lim
/// (<c>torchaudio.transforms.GriffinLim</c>, the same defaults; buffer "window"). See <see cref="AudioFunctional.GriffinLim"/>.</summary>
public sealed class GriffinLim : Module<Tensor, Tensor>
{
    private readonly int nFft, nIter, hopLength;
    private readonly double power, momentum;
    private readonly int? length;
    private readonly bool randInit;

    /// <summary>Creates the transform.</summary>
    /// <param name="nFft">N.</param>
    /// <param name="nIter">Iterations.</param>
    /// <param name="winLength">Window length; default N.</param>
    /// <param name="hopLength">Samples between frames; default win_length / 2.</param>
    /// <param name="window">The window function (periodic).</param>
    /// <param name="power">The spectrogram's exponent.</param>
    /// <param name="momentum">Fast Griffin–Lim's momentum, in [0, 1).</param>
    /// <param name="length">Output length; default the STFT's own.</param>
    /// <param name="randInit">Random initial phases (else ones).</param>
    public GriffinLim(int nFft = 400, int nIter = 32, int? winLength = null, int? hopLength = null, WindowFunction window = WindowFunction.Hann,
        double power = 2.0, double momentum = 0.99, int? length = null, bool randInit = true)
    {
        int win = winLength ?? nFft;
        this.nFft = nFft;
        this.nIter = nIter;
        this.hopLength = hopLength ?? Math.Max(1, win / 2);
        this.power = power;
        this.momentum = momentum;
        this.length = length;
        this.randInit = randInit;
        Window = RegisterBuffer("window", Windows.Create(window, win, periodic: true));
    }

    /// <summary>The window (buffer "window").</summary>
    public Tensor Window { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        AudioFunctional.GriffinLim(input, Window, nFft, hopLength, power, nIter, momentum, length, randInit);
}
