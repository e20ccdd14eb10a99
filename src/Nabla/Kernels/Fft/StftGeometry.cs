namespace Nabla.Kernels.Fft;

/// <summary>The framing of a batch of signals [Batch, Length] for an STFT: frame t covers padded positions
/// [t·Hop, t·Hop + NFft), and padded position j reads sample j − PadLeft, extended past the ends by <see cref="Padding"/>.</summary>
/// <param name="Batch">Signals.</param>
/// <param name="Length">Samples per signal.</param>
/// <param name="NFft">Frame and FFT length N.</param>
/// <param name="Hop">Samples between frame starts.</param>
/// <param name="Frames">Frames per signal.</param>
/// <param name="PadLeft">Padding before the first sample (N/2 when centred, else 0).</param>
/// <param name="Padding">How samples outside [0, Length) are made.</param>
/// <param name="Onesided">Whether the spectrum keeps bins [0, N/2] (real input's Hermitian half) or all N.</param>
internal readonly record struct StftGeometry(int Batch, int Length, int NFft, int Hop, int Frames, int PadLeft, SignalPadding Padding, bool Onesided)
{
    /// <summary>Frequency bins per frame: N/2 + 1 one-sided, else N.</summary>
    public int Bins => Onesided ? NFft / 2 + 1 : NFft;

    /// <summary>Padded positions that some frame covers: (Frames − 1)·Hop + N.</summary>
    public int Covered => Frames == 0 ? 0 : (Frames - 1) * Hop + NFft;

    /// <summary>The sample that signal position <paramref name="i"/> (may be negative or ≥ Length) reads, or −1 for a zero.</summary>
    public int Source(int i)
    {
        if ((uint)i < (uint)Length) return i;
        int n = Length;
        if (n == 0) return -1;
        int s = Padding switch
        {
            SignalPadding.Reflect => i < 0 ? -i : 2 * (n - 1) - i,
            SignalPadding.Replicate => i < 0 ? 0 : n - 1,
            SignalPadding.Circular => ((i % n) + n) % n,
            _ => -1,
        };
        // Reflection of a pad longer than the signal is refused by the caller; never read outside the signal regardless.
        return (uint)s < (uint)n ? s : -1;
    }
}
