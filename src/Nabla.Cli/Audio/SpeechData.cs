using System.Globalization;
using System.Text;
using Nabla.Audio;
using Nabla.Audio.Transforms;
using Nabla.Cli.Training;
using Nabla.Data;
using Nabla.Data.Transforms;
using Nabla.Tensors;

namespace Nabla.Cli.Audio;

/// <summary>The spoken-digit data set of <c>nabla train speech</c>: "zero" … "nine" synthesised by espeak-ng in many
/// speakers (an English voice with a variant), each word several times at a random speed and pitch; the test speakers'
/// voices and variants never occur in training.</summary>
/// <remarks>
/// Utterances are cached as 16 kHz 16-bit WAV files (espeak-ng's 22.05 kHz output resampled with
/// <see cref="AudioFunctional.Resample"/>, silence trimmed) under the data folder, with manifest.csv; missing ones are
/// synthesised. Features: each utterance, faded in and out over 10 ms, is placed at a random offset in a 1 s clip, white noise at a random SNR of
/// 10–30 dB is added, and its 40-band log-mel spectrogram (n_fft 512, window 400, hop 160, HTK mels to 8 kHz) is taken in
/// dB relative to its own peak, clipped at −80 dB and mapped to [0, 1]: an image [1, 40, 101]. All randomness is seeded
/// per utterance, so the data set is a function of the seed.
/// </remarks>
internal static class SpeechData
{
    /// <summary>The sample rate of the cached utterances and of the features.</summary>
    public const int SampleRate = 16000;

    /// <summary>Samples per clip: 1 s.</summary>
    public const int ClipSamples = 16000;

    /// <summary>Mel bands of the features.</summary>
    public const int NMels = 40;

    /// <summary>Renditions of each digit per speaker when --renditions is not given.</summary>
    public const int DefaultRenditions = 4;

    /// <summary>SpecAugment's widest frequency mask (mel bands) and time mask (frames), and the largest shift along the mel
    /// axis, under --augment.</summary>
    public const int FrequencyMask = 6, TimeMask = 15, MaxShift = 2;

    /// <summary>The lowest and highest SNR of the added noise, dB.</summary>
    public const double MinSnr = 10, MaxSnr = 30;

    /// <summary>The words, label = index.</summary>
    public static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>espeak-ng's English voices (its own, not MBROLA's) heard in training.</summary>
    public static readonly string[] TrainVoices = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-us-nyc", "en-gb-x-gbclan"];

    /// <summary>Voices heard only in the test split.</summary>
    public static readonly string[] TestVoices = ["en-029", "en-gb-x-gbcwmd"];

    /// <summary>espeak-ng voice variants (pitch, formants, voicing) heard in training; "" is the voice's own.</summary>
    public static readonly string[] TrainVariants = ["", "f1", "m1", "f2", "m2", "klatt", "m3", "f5", "m5", "croak", "m7", "klatt2", "m8", "f3"];

    /// <summary>Variants heard only in the test split.</summary>
    public static readonly string[] TestVariants = ["m4", "f4", "m6", "klatt3"];

    /// <summary>$NABLA_DATA/speech-digits, or ~/.cache/nabla/speech-digits.</summary>
    public static string DefaultDirectory
    {
        get
        {
            string? data = Environment.GetEnvironmentVariable("NABLA_DATA");
            string root = !string.IsNullOrEmpty(data) ? data
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "nabla");
            return Path.Combine(root, "speech-digits");
        }
    }

    /// <summary>One utterance: its file under the data folder, label, split, speaker and the synthesiser's settings.</summary>
    public sealed record Utterance(string File, int Label, bool Test, string Voice, int Speed, int Pitch);

    /// <summary>The utterances of the data set: the training speakers (all, or the first <paramref name="trainSpeakers"/>) and
    /// the test speakers, each saying every word <paramref name="renditions"/> times.</summary>
    public static List<Utterance> Plan(int renditions, int? trainSpeakers = null)
    {
        var train = Speakers(TrainVoices, TrainVariants);
        if (trainSpeakers is int n) train = train.Take(Math.Clamp(n, 1, train.Count)).ToList();
        var test = Speakers(TestVoices, TestVariants);
        if (trainSpeakers is int m) test = test.Take(Math.Clamp(m, 1, test.Count)).ToList();
        var plan = new List<Utterance>();
        foreach (var (speakers, isTest) in new[] { (train, false), (test, true) })
            foreach (string speaker in speakers)
                for (int label = 0; label < Words.Length; label++)
                    for (int k = 0; k < renditions; k++)
                    {
                        string key = $"{speaker}/{Words[label]}-{k}";
                        var random = new Generator(StableHash(key));
                        // Words per minute and pitch drawn per utterance: espeak-ng's defaults are 175 and 50.
                        int speed = 130 + (int)random.NextInt64(61), pitch = 25 + (int)random.NextInt64(51);
                        plan.Add(new Utterance(Path.Combine(isTest ? "test" : "train", speaker, $"{Words[label]}-{k}.wav"), label, isTest, speaker, speed, pitch));
                    }
        return plan;
    }

    /// <summary>"voice+variant" for every pair, variant-major, so the first speakers already span several voices.</summary>
    private static List<string> Speakers(string[] voices, string[] variants) =>
        [.. variants.SelectMany(variant => voices.Select(voice => variant.Length == 0 ? voice : $"{voice}+{variant}"))];

    /// <summary>Synthesises the utterances of <paramref name="plan"/> missing from <paramref name="directory"/> and writes
    /// manifest.csv; espeak-ng runs in <paramref name="threads"/> processes at a time.</summary>
    public static void Ensure(string directory, IReadOnlyList<Utterance> plan, int threads, TextWriter log)
    {
        var missing = plan.Where(u => !File.Exists(Path.Combine(directory, u.File))).ToList();
        if (missing.Count > 0)
        {
            if (!EspeakNg.IsAvailable())
                throw new InvalidOperationException($"{missing.Count} utterances are missing from {directory} and {EspeakNg.Program} is not installed; run scripts/setup-audio.sh (apt-get install -y espeak-ng)");
            log.WriteLine(Invariant($"synthesising {missing.Count:N0} utterances with {EspeakNg.Program} into {directory}"));
            var resample = new Resample(22050, SampleRate);
            // espeak-ng runs in parallel processes; resampling and writing stay on this thread, in plan order.
            foreach (var chunk in missing.Chunk(64))
            {
                var waves = new byte[chunk.Length][];
                Parallel.For(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
                    i => waves[i] = EspeakNg.Synthesize(Words[chunk[i].Label], chunk[i].Voice, chunk[i].Speed, chunk[i].Pitch));
                for (int i = 0; i < chunk.Length; i++) Store(directory, chunk[i], waves[i], resample);
            }
        }
        var manifest = new StringBuilder("file,label,word,split,speaker,speed,pitch\n");
        foreach (var u in plan)
            manifest.Append(Invariant($"{u.File.Replace('\\', '/')},{u.Label},{Words[u.Label]},{(u.Test ? "test" : "train")},{u.Voice},{u.Speed},{u.Pitch}\n"));
        File.WriteAllText(Path.Combine(directory, "manifest.csv"), manifest.ToString());
    }

    private static void Store(string directory, Utterance u, byte[] wav, Resample resample)
    {
        var audio = Wav.Decode(wav, $"{EspeakNg.Program} output for {u.File}", mono: true);
        if (audio.SampleRate != 22050)
            throw new InvalidDataException($"{EspeakNg.Program} wrote {audio.SampleRate} Hz audio for {u.File}; expected 22050 Hz");
        float[] samples;
        using (Tensor.NoGrad()) samples = resample.Call(audio.Samples).Squeeze(0).ToArray<float>();
        var (start, length) = Voiced(samples);
        string path = Path.Combine(directory, u.File);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);   // a file path under the data folder always has one
        Wav.Write(path, Tensor.FromArray<float>(samples.AsSpan(start, length)), SampleRate);
    }

    /// <summary>The samples from 30 ms before the first to 30 ms after the last one above 2% of the peak.</summary>
    private static (int Start, int Length) Voiced(float[] samples)
    {
        float peak = samples.Length == 0 ? 0 : samples.Max(Math.Abs);
        int first = Array.FindIndex(samples, v => Math.Abs(v) > 0.02f * peak), last = Array.FindLastIndex(samples, v => Math.Abs(v) > 0.02f * peak);
        if (first < 0) return (0, samples.Length);
        int margin = SampleRate * 30 / 1000;
        int start = Math.Max(0, first - margin), end = Math.Min(samples.Length, last + margin + 1);
        return (start, end - start);
    }

    /// <summary>The features of every utterance, split, normalized by the training set's mean and deviation.</summary>
    public static ClassifierData Load(string directory, IReadOnlyList<Utterance> plan, long seed, TextWriter log)
    {
        var train = Features(directory, [.. plan.Where(u => !u.Test)], seed);
        var test = Features(directory, [.. plan.Where(u => u.Test)], seed);
        var values = train.Inputs.ToArray<float>();
        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Average(v => ((double)v - mean) * ((double)v - mean)));
        float m = (float)mean, s = (float)Math.Max(std, 1e-6);
        var trainSet = new TensorDataset(train.Inputs.Sub(m).Div(s), train.Targets);
        var testSet = new TensorDataset(test.Inputs.Sub(m).Div(s), test.Targets);
        int trainSpeakers = plan.Where(u => !u.Test).Select(u => u.Voice).Distinct().Count(), testSpeakers = plan.Where(u => u.Test).Select(u => u.Voice).Distinct().Count();
        log.WriteLine(Invariant($"  speech digits: {trainSpeakers} training and {testSpeakers} test speakers (voices and variants disjoint), log-mel [1, {NMels}, {train.Inputs.Shape[3]}] per 1 s clip"));
        // Masks hold the normalized value of silence (0 in [0, 1] features).
        var augmentation = new Compose(new FrequencyShift(MaxShift), new FrequencyMasking(FrequencyMask, -m / s), new TimeMasking(TimeMask, -m / s));
        return new ClassifierData(trainSet, testSet, "espeak-ng digits", directory, "utterances", m, s, augmentation);
    }

    /// <summary>Features [N, 1, 40, 101] in [0, 1] and labels [N] of <paramref name="utterances"/>.</summary>
    private static TensorDataset Features(string directory, List<Utterance> utterances, long seed)
    {
        var clips = new float[utterances.Count * ClipSamples];
        var labels = new long[utterances.Count];
        for (int i = 0; i < utterances.Count; i++)
        {
            var u = utterances[i];
            var audio = Wav.Read(Path.Combine(directory, u.File), mono: true);
            if (audio.SampleRate != SampleRate)
                throw new InvalidDataException($"{u.File} in {directory} is {audio.SampleRate} Hz; expected {SampleRate} Hz (delete it to synthesise it again)");
            Clip(audio.Samples.ToArray<float>(), clips.AsSpan(i * ClipSamples, ClipSamples), new Generator(StableHash($"{seed}/{u.File}")));
            labels[i] = u.Label;
        }
        var mel = new MelSpectrogram(SampleRate, 512, 400, 160, fMax: 8000, nMels: NMels);
        var features = new List<Tensor>();
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < utterances.Count; start += 256)
            {
                int n = Math.Min(256, utterances.Count - start);
                var power = mel.Call(Tensor.FromArray<float>(clips.AsSpan(start * ClipSamples, n * ClipSamples), [n, ClipSamples]));
                // dB below each clip's own peak, clipped at −80 dB, as [0, 1].
                var db = AudioFunctional.Decibels(power, 10, 1e-10, 0, topDb: 80, TopDbScope.Spectrogram);
                var peak = db.Reshape([n, -1]).Max(-1, keepDim: true).Values.Reshape([n, 1, 1]);
                features.Add(db.Sub(peak).Add(80).Div(80).Unsqueeze(1));   // [n, 1, 40, frames]
            }
        }
        return new TensorDataset(Tensor.Cat(features, 0), Tensor.FromArray<long>(labels));
    }

    /// <summary>The utterance at a random offset in a 1 s clip (centre-cropped if longer), plus white noise at a random SNR.</summary>
    private static void Clip(float[] speech, Span<float> clip, Generator random)
    {
        clip.Clear();
        int length = Math.Min(speech.Length, clip.Length);
        int from = (speech.Length - length) / 2;
        int offset = (int)random.NextInt64(clip.Length - length + 1);
        speech.AsSpan(from, length).CopyTo(clip[offset..]);
        // 10 ms raised-cosine fades: the trimmed ends would otherwise be steps, heard (and seen) as clicks.
        int fade = Math.Min(SampleRate / 100, length / 2);
        for (int i = 0; i < fade; i++)
        {
            float gain = (float)(0.5 - 0.5 * Math.Cos(Math.PI * (i + 0.5) / fade));
            clip[offset + i] *= gain;
            clip[offset + length - 1 - i] *= gain;
        }
        double power = 0;
        for (int i = 0; i < speech.Length; i++) power += speech[i] * (double)speech[i];
        double rms = Math.Sqrt(power / Math.Max(1, speech.Length));
        double snr = MinSnr + (MaxSnr - MinSnr) * random.NextDouble();
        double sigma = rms / Math.Pow(10, snr / 20);
        for (int i = 0; i < clip.Length; i++) clip[i] += (float)(sigma * random.NextNormal());
    }

    /// <summary>FNV-1a of the text: a seed that does not change between processes (string.GetHashCode does).</summary>
    private static long StableHash(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (char c in text) { hash ^= c; hash *= 1099511628211; }
        return (long)(hash & long.MaxValue);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
