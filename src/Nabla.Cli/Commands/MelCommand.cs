using System.Globalization;
using Nabla.Audio;
using Nabla.Cli.Arguments;
using Nabla.Cli.Audio;
using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla mel</c> and <c>nabla mfcc</c>: a WAV file's mel spectrogram or MFCC by a reference's definitions,
/// drawn as a heatmap and/or saved as values.</summary>
internal static class MelCommand
{
    /// <summary>Runs <c>nabla mel</c> (<paramref name="mfcc"/> false) or <c>nabla mfcc</c> with the arguments after the command.</summary>
    public static int Run(CliConsole console, ReadOnlySpan<string> args, bool mfcc)
    {
        var spec = mfcc ? AudioCatalog.Mfcc : AudioCatalog.Mel;
        var options = ArgumentParser.Parse(spec, args);
        if (options.HelpRequested) { console.Out.Write(spec.Usage()); return ExitCodes.Ok; }
        if (options.Operands.Count != 1)
            throw new UsageException(spec, options.Operands.Count == 0 ? "missing the input WAV file" : $"expected one input WAV file; got {options.Operands.Count}");
        string input = options.Operands[0];
        if (!File.Exists(input)) throw options.Bad("INPUT.wav", input, "an existing WAV file");
        var preset = AudioPreset.Parse(options.Choice("--preset", "librosa", "librosa", "torchaudio"));
        preset = preset.With(
            nFft: options.Has("--n-fft") ? options.Int("--n-fft", preset.NFft, 2, 1 << 20) : null,
            hopLength: options.Has("--hop") ? options.Int("--hop", preset.HopLength) : null,
            nMels: options.Has("--n-mels") ? options.Int("--n-mels", preset.NMels, 1, 4096) : null);
        if (mfcc) preset = preset with { NMfcc = options.Int("--n-mfcc", preset.NMfcc, 1, preset.NMels) };
        string kind = mfcc ? "mfcc" : "mel";
        string? png = options.OptionalString("--png"), values = options.OptionalString("--values");
        if (png is null && values is null) png = Path.ChangeExtension(input, null) + $"-{kind}.png";
        bool db = mfcc || options.Flag("--db");

        using var threads = new ThreadLimit(TrainOptionReader.ReadThreads(options));
        var audio = Wav.Read(input);
        Tensor result, image;
        using (Tensor.NoGrad())
        {
            var signal = audio.Mono().Squeeze(0);   // [time]: channels averaged, as librosa.load's mono=True
            if (mfcc)
            {
                result = preset.Mfcc(audio.SampleRate).Call(signal);
                image = result;
            }
            else
            {
                var power = preset.MelSpectrogram(audio.SampleRate).Call(signal);
                var decibels = preset.Decibels().Call(power);
                result = db ? decibels : power;
                image = decibels;
            }
        }
        int rows = result.Shape[0], frames = result.Shape[1];
        var output = console.Out;
        output.WriteLine(Invariant($"nabla {kind}: {Path.GetFileName(input)}: {audio.SampleRate} Hz, {audio.Channels} channel(s){(audio.Channels > 1 ? " mixed to mono" : "")}, {audio.Frames:N0} samples ({audio.Duration:F2} s), {audio.Encoding}"));
        output.WriteLine(Invariant($"  {Describe(preset, mfcc)} → [{rows}, {frames}]{(mfcc ? "" : db ? " in dB" : " power")}"));
        var metadata = new Dictionary<string, string>
        {
            ["preset"] = preset.Name,
            ["sample_rate"] = audio.SampleRate.ToString(CultureInfo.InvariantCulture),
            ["n_fft"] = preset.NFft.ToString(CultureInfo.InvariantCulture),
            ["hop_length"] = preset.HopLength.ToString(CultureInfo.InvariantCulture),
            ["n_mels"] = preset.NMels.ToString(CultureInfo.InvariantCulture),
            ["scale"] = mfcc ? "mfcc" : db ? "db" : "power",
            ["source"] = Path.GetFileName(input),
        };
        if (mfcc) metadata["n_mfcc"] = preset.NMfcc.ToString(CultureInfo.InvariantCulture);
        if (values is not null)
        {
            Checkpoint.Save(values, new Dictionary<string, Tensor> { [kind] = result.Contiguous() }, metadata);
            output.WriteLine($"wrote {values}: tensor \"{kind}\" [{rows}, {frames}]");
        }
        if (png is not null)
        {
            double secondsPerFrame = (double)preset.HopLength / audio.SampleRate;
            string title = Invariant($"{(mfcc ? "MFCC" : "Mel spectrogram")} of {Path.GetFileName(input)} ({preset.Name})");
            var ticks = mfcc
                ? SpectrogramPlot.Ticks(rows, 10, r => r.ToString(CultureInfo.InvariantCulture))
                : SpectrogramPlot.Ticks(rows, 10, r => SpectrogramPlot.Hertz(BandCentre(preset, audio.SampleRate, r)));
            SpectrogramPlot.Save(png, title, image.Contiguous().ToArray<float>(), rows, frames, secondsPerFrame,
                mfcc ? "coefficient" : "frequency (Hz, mel-spaced band centres)", ticks, mfcc ? "MFCC (c0 clipped to the others' range)" : "dB",
                firstScaledRow: mfcc ? 1 : 0);
            output.WriteLine($"wrote {png}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>"librosa: n_fft 2048, hop 512, Hann, 128 Slaney mels (Slaney norm), 0–11025 Hz, constant padding".</summary>
    private static string Describe(AudioPreset p, bool mfcc) =>
        Invariant($"{p.Name}: n_fft {p.NFft}, hop {p.HopLength}, {p.Window}, {p.NMels} {p.MelScale} mels{(p.MelNorm == MelNorm.Slaney ? " (Slaney norm)" : "")}, {p.PadMode.ToString().ToLowerInvariant()} padding{(mfcc ? $", {p.NMfcc} MFCC" : "")}");

    /// <summary>The centre frequency of mel band <paramref name="band"/>: edge band + 1 of n_mels + 2 mel-spaced edges.</summary>
    private static double BandCentre(AudioPreset p, int sampleRate, int band)
    {
        double top = p.FMax ?? (p.LibrosaFilterbank ? sampleRate / 2.0 : sampleRate / 2);
        double lo = AudioFunctional.HzToMel(p.FMin, p.MelScale), hi = AudioFunctional.HzToMel(top, p.MelScale);
        return AudioFunctional.MelToHz(lo + (hi - lo) * (band + 1) / (p.NMels + 1), p.MelScale);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
