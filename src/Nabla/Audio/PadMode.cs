namespace Nabla.Audio;

/// <summary>How a signal is extended before its first and after its last sample when frames are centred
/// (torch.stft's and librosa's <c>pad_mode</c>).</summary>
public enum PadMode
{
    /// <summary>Zeros (librosa 0.10's default).</summary>
    Constant,
    /// <summary>Mirrored without repeating the edge sample: x[−i] = x[i] (torch.stft's and torchaudio's default).</summary>
    Reflect,
    /// <summary>The edge sample repeated.</summary>
    Replicate,
    /// <summary>Wrapped around.</summary>
    Circular,
}
