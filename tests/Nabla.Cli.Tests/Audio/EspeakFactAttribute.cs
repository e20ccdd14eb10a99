using Nabla.Cli.Audio;

namespace Nabla.Cli.Tests.Audio;

/// <summary>A fact that needs Debian's espeak-ng: skipped, with the reason, where it is not installed.</summary>
public sealed class EspeakFactAttribute : FactAttribute
{
    private static readonly bool s_available = EspeakNg.IsAvailable();

    /// <summary>Skips the test when espeak-ng cannot be started.</summary>
    public EspeakFactAttribute()
    {
        if (!s_available) Skip = "espeak-ng is not installed; scripts/setup-audio.sh installs it (apt-get install -y espeak-ng)";
    }
}
