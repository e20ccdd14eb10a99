namespace Nabla.Audio;

/// <summary>Over which values the peak is taken when top_db clips a decibel spectrogram to [peak − top_db, peak].</summary>
public enum TopDbScope
{
    /// <summary>Each spectrogram [..., freq, time] on its own: the last two dimensions (librosa 0.11, axes="auto"; librosa 0.10
    /// takes the whole array, the same for one spectrogram).</summary>
    Spectrogram,
    /// <summary>The last three dimensions [channel, freq, time] together, and the whole tensor when it is 2-D (torchaudio's
    /// amplitude_to_DB).</summary>
    Channels,
}
