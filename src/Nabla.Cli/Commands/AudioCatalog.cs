using Nabla.Cli.Arguments;
using Nabla.Cli.Audio;
using Nabla.Cli.Training;

namespace Nabla.Cli.Commands;

/// <summary>The specifications of the audio commands: <c>mel</c>, <c>mfcc</c> and <c>train speech</c>.</summary>
internal static class AudioCatalog
{
    private static readonly OptionSpec Preset = new("--preset", "NAME",
        "librosa (n_fft 2048, hop 512, 128 Slaney mels with area norm, zero padding, power_to_db with top_db 80) or torchaudio (n_fft 400, hop 200, 128 HTK mels, reflect padding, AmplitudeToDB)", "librosa");
    private static readonly OptionSpec NFft = new("--n-fft", "N", "FFT length (any length; the window follows it, and the hop unless given)", "the preset's");
    private static readonly OptionSpec Hop = new("--hop", "N", "samples between frames", "n_fft/4 (librosa), n_fft/2 (torchaudio)");
    private static readonly OptionSpec NMels = new("--n-mels", "N", "mel bands", "128");
    private static readonly OptionSpec Threads = new("--threads", "N", "kernel threads", "all cores");

    /// <summary>The defaults of <c>nabla train speech</c>: Adam with a one-cycle schedule peaking at 3e-3, batch 32.</summary>
    public static readonly TrainDefaults SpeechDefaults = new(20, 32, 3e-3, LearningRateSchedule.OneCycle, OptimizerKind.Adam, Augment: true);

    /// <summary><c>nabla mel</c>.</summary>
    public static readonly CommandSpec Mel = new("mel",
        "Computes the mel spectrogram of a WAV file (mixed to mono) with librosa's or torchaudio's definitions and draws it as an image with time and frequency axes and a colour bar, and/or saves the values.",
        [
            new("--png", "FILE", "the image to write", "INPUT-mel.png when neither --png nor --values is given"),
            new("--values", "FILE", "a safetensors file for the values, tensor \"mel\" [n_mels, frames], with the settings in its metadata"),
            Preset, NFft, Hop, NMels,
            OptionSpec.Switch("--db", "converts power to decibels with the preset's rule (the image is always drawn in dB)"),
            Threads,
        ],
        Operands: "INPUT.wav");

    /// <summary><c>nabla mfcc</c>.</summary>
    public static readonly CommandSpec Mfcc = new("mfcc",
        "Computes the MFCC of a WAV file (mixed to mono) with librosa's or torchaudio's definitions (DCT-II, orthonormal, of the dB mel spectrogram) and draws them and/or saves the values.",
        [
            new("--png", "FILE", "the image to write", "INPUT-mfcc.png when neither --png nor --values is given"),
            new("--values", "FILE", "a safetensors file for the values, tensor \"mfcc\" [n_mfcc, frames]"),
            Preset, NFft, Hop, NMels,
            new("--n-mfcc", "N", "coefficients", "20 (librosa), 40 (torchaudio)"),
            Threads,
        ],
        Operands: "INPUT.wav");

    /// <summary><c>nabla train speech</c>.</summary>
    public static readonly CommandSpec TrainSpeech = new("train speech",
        "Trains a small CNN on log-mel features to recognise the spoken digits zero to nine, on a data set synthesised with espeak-ng across its voices, variants, speeds and pitches with added noise; the test speakers are voices and variants never heard in training.",
        [
            .. CommandCatalog.TrainOptions(SpeechDefaults).Where(o => o.Name is not ("--data" or "--augment")),
            new("--data", "DIR", "where the synthesised utterances are cached (16 kHz WAV files and manifest.csv); made with espeak-ng if missing", SpeechData.DefaultDirectory),
            OptionSpec.Switch("--augment", $"augments each training batch: a shift along the mel axis of up to ±{SpeechData.MaxShift} bands (vocal tract length perturbation), then SpecAugment's frequency mask of up to {SpeechData.FrequencyMask} bands and time mask of up to {SpeechData.TimeMask} frames, different every epoch (on by default; --augment=false turns it off)"),
            new("--renditions", "N", "renditions of each digit per training speaker (random speed, pitch, noise)", $"{SpeechData.DefaultRenditions}"),
            new("--speakers", "N", "training speakers to use, from the start of the list (all when absent); for quick runs and tests", Hidden: true),
        ]);

    /// <summary>Every audio command.</summary>
    public static IEnumerable<CommandSpec> All => [Mel, Mfcc, TrainSpeech];

    /// <summary>The lines of <c>nabla --help</c> for the audio commands.</summary>
    public static string OverviewLines =>
        $"  mel           {Mel.Summary}\n  mfcc          {Mfcc.Summary}\n  train speech  {TrainSpeech.Summary}\n";
}
