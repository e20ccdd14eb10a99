using Nabla.Tensors;

namespace Nabla.Audio;

public static partial class AudioFunctional
{
    /// <summary>The DCT-II matrix [nMels, nMfcc] (<c>torchaudio.functional.create_dct</c>): column k is cos(π/N·(n + ½)·k),
    /// times √(2/N) and, for k = 0, 1/√2 more when orthonormal, else times 2 (scipy.fftpack.dct's scaling).</summary>
    public static Tensor CreateDct(int nMfcc, int nMels, DctNorm norm = DctNorm.Ortho)
    {
        if (nMels < 1) throw new ArgumentOutOfRangeException(nameof(nMels), nMels, "CreateDct: n_mels must be positive.");
        if (nMfcc < 1 || nMfcc > nMels) throw new ArgumentOutOfRangeException(nameof(nMfcc), nMfcc, $"CreateDct: n_mfcc must be in [1, n_mels = {nMels}].");
        var dct = new float[nMels * nMfcc];
        for (int n = 0; n < nMels; n++)
            for (int k = 0; k < nMfcc; k++)
            {
                double v = Math.Cos(Math.PI / nMels * (n + 0.5) * k);
                v *= norm == DctNorm.Ortho ? Math.Sqrt(2.0 / nMels) * (k == 0 ? 1 / Math.Sqrt(2) : 1) : 2;
                dct[n * nMfcc + k] = (float)v;
            }
        return Tensor.FromArray<float>(dct, [nMels, nMfcc]);
    }

    /// <summary>Mel-frequency cepstral coefficients from a decibel mel spectrogram [..., nMels, time]: the DCT-II along the mel
    /// axis, the first nMfcc coefficients, optionally liftered (librosa.feature.mfcc with S given; torchaudio's MFCC after
    /// its amplitude_to_DB); [..., nMfcc, time].</summary>
    /// <param name="melDb">The mel spectrogram in dB.</param>
    /// <param name="nMfcc">Coefficients kept.</param>
    /// <param name="norm">The DCT's scaling.</param>
    /// <param name="lifter">L &gt; 0 multiplies coefficient c (0-based) by 1 + (L/2)·sin(π(c + 1)/L), librosa's liftering; 0 leaves them.</param>
    public static Tensor Mfcc(Tensor melDb, int nMfcc = 20, DctNorm norm = DctNorm.Ortho, double lifter = 0)
    {
        ArgumentNullException.ThrowIfNull(melDb);
        if (melDb.Dim < 2) throw new ArgumentException($"Mfcc: the mel spectrogram must be [..., n_mels, time]; got [{string.Join(", ", melDb.Shape)}].", nameof(melDb));
        if (lifter < 0) throw new ArgumentOutOfRangeException(nameof(lifter), lifter, "Mfcc: lifter must be non-negative.");
        var dct = CreateDct(nMfcc, melDb.Shape[^2], norm).To(melDb.DType);
        var mfcc = dct.T.Contiguous().MatMul(melDb);   // [..., nMfcc, time]
        return lifter > 0 ? mfcc.Mul(Lifter(nMfcc, lifter, melDb.DType)) : mfcc;
    }

    /// <summary>1 + (L/2)·sin(π(c + 1)/L) for c ∈ [0, nMfcc), as a column [nMfcc, 1].</summary>
    private static Tensor Lifter(int nMfcc, double lifter, DType dtype)
    {
        var values = new double[nMfcc];
        for (int c = 0; c < nMfcc; c++) values[c] = 1 + lifter / 2 * Math.Sin(Math.PI * (c + 1) / lifter);
        return Tensor.FromArray<double>(values, [nMfcc, 1]).To(dtype);
    }
}
