using Nabla.Tensors;

namespace Nabla.Audio;

public static partial class AudioFunctional
{
    /// <summary>A waveform whose STFT magnitude approximates <paramref name="specgram"/>, by the fast Griffin–Lim algorithm
    /// (<c>torchaudio.functional.griffinlim</c>; Perraudin, Balazs and Søndergaard, 2013).</summary>
    /// <param name="specgram">|X|^power [..., bins, frames].</param>
    /// <param name="window">w [winLength].</param>
    /// <param name="nFft">N.</param>
    /// <param name="hopLength">Samples between frames.</param>
    /// <param name="power">The exponent of <paramref name="specgram"/> (2: a power spectrogram).</param>
    /// <param name="nIter">Iterations.</param>
    /// <param name="momentum">α ∈ [0, 1): each phase estimate is rebuilt − α/(1 + α)·(previous rebuilt), then normalised to unit modulus.</param>
    /// <param name="length">The output length, or null for the STFT's own.</param>
    /// <param name="randInit">Start from random phases: complex numbers with real and imaginary parts uniform in [0, 1), as
    /// torch.rand gives for complex dtypes (else all ones).</param>
    /// <param name="generator">Random source; default <see cref="Generator.Default"/>.</param>
    /// <remarks>Each iteration: x = istft(S·angles), rebuilt = stft(x) (centred, reflect padded), angles = rebuilt − α′·tprev,
    /// angles /= |angles| + 1e-16, tprev = rebuilt; the result is istft(S·angles). Runs without recording gradients.</remarks>
    public static Tensor GriffinLim(Tensor specgram, Tensor window, int nFft, int hopLength, double power = 2.0, int nIter = 32,
        double momentum = 0.99, int? length = null, bool randInit = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(specgram);
        ArgumentNullException.ThrowIfNull(window);
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "GriffinLim: momentum must be in [0, 1).");
        if (specgram.Dim < 2) throw new ArgumentException($"GriffinLim: the spectrogram must be [..., bins, frames]; got [{string.Join(", ", specgram.Shape)}].", nameof(specgram));
        using var noGrad = Tensor.NoGrad();
        double alpha = momentum / (1 + momentum);
        int[] lead = [.. specgram.Shape.Take(specgram.Dim - 2)];
        var magnitude = specgram.Reshape([-1, specgram.Shape[^2], specgram.Shape[^1]]).Pow(1 / power);
        int[] shape = [.. magnitude.Shape];
        var angles = randInit
            ? Tensor.Complex(Tensor.Rand(shape, generator: generator), Tensor.Rand(shape, generator: generator))
            : Tensor.Complex(Tensor.Ones(shape), Tensor.Zeros(shape));
        Tensor? previous = null;
        for (int i = 0; i < nIter; i++)
        {
            var inverse = Istft(magnitude.Mul(angles), nFft, hopLength, window.Shape[0], window, length: length);
            var rebuilt = Stft(inverse, nFft, hopLength, window.Shape[0], window, center: true, padMode: PadMode.Reflect);
            angles = previous is not null && alpha > 0 ? rebuilt.Sub(previous.Mul(alpha)) : rebuilt;
            angles = angles.Div(angles.Abs().Add(1e-16));
            previous = rebuilt;
        }
        var waveform = Istft(magnitude.Mul(angles), nFft, hopLength, window.Shape[0], window, length: length);
        return waveform.Reshape([.. lead, waveform.Shape[^1]]);
    }
}
