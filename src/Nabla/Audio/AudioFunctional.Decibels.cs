using Nabla.Tensors;

namespace Nabla.Audio;

public static partial class AudioFunctional
{
    /// <summary>Power to decibels (<c>librosa.power_to_db</c>): 10·log10(max(S, amin)) − 10·log10(max(amin, ref)), then, with
    /// top_db, max(·, peak − top_db) with the peak of each spectrogram (its last two dimensions).</summary>
    public static Tensor PowerToDb(Tensor power, double reference = 1.0, double amin = 1e-10, double? topDb = 80.0) =>
        Decibels(power, 10, amin, Math.Log10(Math.Max(amin, Math.Abs(reference))), topDb, TopDbScope.Spectrogram);

    /// <summary>Amplitude to decibels (<c>librosa.amplitude_to_db</c>): power_to_db(|S|², ref², amin², top_db), i.e.
    /// 20·log10(max(|S|, amin)) − 20·log10(max(amin, ref)), clipped to top_db below each spectrogram's peak.</summary>
    public static Tensor AmplitudeToDb(Tensor amplitude, double reference = 1.0, double amin = 1e-5, double? topDb = 80.0) =>
        Decibels(amplitude, 20, amin, Math.Log10(Math.Max(amin, Math.Abs(reference))), topDb, TopDbScope.Spectrogram);

    /// <summary>y = multiplier·log10(max(x, amin)) − multiplier·dbMultiplier, then max(y, peak − top_db)
    /// (<c>torchaudio.functional.amplitude_to_DB</c> with <see cref="TopDbScope.Channels"/>).</summary>
    /// <param name="x">A power (multiplier 10) or amplitude (multiplier 20) spectrogram [..., freq, time].</param>
    /// <param name="multiplier">10 for power, 20 for amplitude.</param>
    /// <param name="amin">The floor applied to x before the logarithm.</param>
    /// <param name="dbMultiplier">log10(max(amin, reference)).</param>
    /// <param name="topDb">The dynamic range kept below the peak, or null for none.</param>
    /// <param name="scope">Over which dimensions the peak is taken.</param>
    /// <remarks>Differentiable: values below amin and below the top_db floor get no gradient.</remarks>
    public static Tensor Decibels(Tensor x, double multiplier, double amin, double dbMultiplier, double? topDb = null, TopDbScope scope = TopDbScope.Channels)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(amin > 0)) throw new ArgumentOutOfRangeException(nameof(amin), amin, "Decibels: amin must be positive.");
        if (topDb is < 0) throw new ArgumentOutOfRangeException(nameof(topDb), topDb, "Decibels: top_db must be non-negative.");
        var y = x.Clamp(min: amin).Log().Mul(multiplier / Math.Log(10));
        if (dbMultiplier != 0) y = y.Sub(multiplier * dbMultiplier);
        if (topDb is not double range || x.NumEl == 0) return y;
        int dims = Math.Min(x.Dim, scope == TopDbScope.Spectrogram ? 2 : x.Dim > 2 ? 3 : 2);
        int[] lead = [.. y.Shape.Take(y.Dim - dims)];
        var peak = y.Reshape([.. lead, -1]).Max(-1, keepDim: true).Values;   // [..., 1]
        var floor = peak.Reshape([.. lead, .. Enumerable.Repeat(1, dims)]).Sub(range);
        return y.Maximum(floor.ExpandAs(y));
    }
}
