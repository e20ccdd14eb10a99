using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Data;
using Nabla.Cli.Sequence;
using Nabla.Cli.Sequence.CharLm;
using Nabla.Cli.Training;
using Nabla.Data.Text;
using Nabla.IO;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla train charlm</c>: a character-level language model, trained on random windows of the text with
/// Adam, warm-up and cosine decay and gradient clipping; validated every few hundred steps on fixed windows of the held-out
/// end of the text.</summary>
internal static class TrainCharLmCommand
{
    private const int WarmupSteps = 100, ValidationWindows = 256;

    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(SequenceCatalog.TrainCharLm, args);
        if (options.HelpRequested) { console.Out.Write(SequenceCatalog.TrainCharLm.Usage()); return ExitCodes.Ok; }
        string kind = options.Choice("--arch", "lstm", "lstm", "transformer");
        bool lstm = kind == "lstm";
        int seqLen = options.Int("--seq-len", 128, min: 2);
        var spec = new CharLmFactory.Spec(kind,
            options.Int("--embedding", 64),
            options.Int("--hidden", lstm ? 256 : 128),
            options.Int("--layers", lstm ? 2 : 3),
            options.NonNegativeDouble("--dropout", 0.1),
            options.Int("--heads", 4),
            4 * options.Int("--hidden", lstm ? 256 : 128),
            seqLen);
        if (!lstm && spec.Hidden % spec.Heads != 0)
            throw options.Bad("--heads", spec.Heads.ToString(CultureInfo.InvariantCulture), $"a divisor of --hidden ({spec.Hidden})");
        if (spec.Dropout >= 1) throw options.Bad("--dropout", spec.Dropout.ToString(CultureInfo.InvariantCulture), "a probability below 1");
        int steps = options.Int("--steps", 2000);
        int batch = options.Int("--batch-size", 32);
        double lr = options.PositiveDouble("--lr", lstm ? 2e-3 : 1e-3);
        double clip = options.NonNegativeDouble("--clip", 1);
        int evalEvery = options.Int("--eval-every", 250);
        int sampleLength = options.Int("--sample-length", 400, min: 0);
        long seed = options.Long("--seed", 0);
        if (options.Has("--threads")) Threads.Count = options.Int("--threads", Threads.Count);
        string textPath = options.String("--text", TextSource.DefaultFile);
        var folder = new RunFolder(options.String("--out", RunFolder.DefaultPath("charlm")));

        TextSource.Ensure(textPath, !options.Has("--text"), console.Out);
        string text = File.ReadAllText(textPath).ReplaceLineEndings("\n");
        if (text.Length < 20 * (seqLen + 1))
            throw new InvalidDataException($"{textPath} holds {text.Length} characters; a run with --seq-len {seqLen} needs at least {20 * (seqLen + 1)}");
        var corpus = new CharCorpus(text, CharVocabulary.Build(text));
        var generator = new Generator(seed);
        var model = CharLmFactory.Build(spec, corpus.Vocabulary.Count, generator);
        var optimizer = new Adam(model.Parameters(), lr: lr);
        var metadata = CharLmFactory.Metadata(spec, corpus.Vocabulary.Vocabulary);

        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{spec.Title}: {model.ParameterCount():N0} parameters, {corpus.Vocabulary.Count} symbols; text {Path.GetFileName(textPath)}: {corpus.TrainLength:N0} training and {corpus.ValidationLength:N0} validation characters"));
        var losses = new List<double>();
        var validation = new List<(int Step, double Loss)>();
        var clock = Stopwatch.StartNew();
        using (var log = new CsvLog(folder.Metrics, "step", "train_loss", "val_loss", "val_bits_per_char", "lr", "seconds"))
        {
            StepView.Run(console, $"charlm {kind}", steps, progress =>
            {
                for (int step = 1; step <= steps; step++)
                {
                    optimizer.LearningRate = Schedule(lr, step, steps);
                    var (x, y) = corpus.TrainBatch(batch, seqLen, generator);
                    var logits = model.Call(x);
                    var loss = Functional.CrossEntropy(logits.Reshape([-1, corpus.Vocabulary.Count]), y.Reshape([-1]));
                    optimizer.ZeroGrad();
                    loss.Backward();
                    if (clip > 0) GradientClipping.ClipGradNorm(model.Parameters(), clip);
                    optimizer.Step();
                    double value = loss.Item();
                    losses.Add(value);
                    progress.Step(step, value);
                    bool evaluate = step % evalEvery == 0 || step == steps;
                    double? valLoss = evaluate ? Validate(model, corpus, batch, seqLen) : null;
                    if (valLoss is { } v)
                    {
                        validation.Add((step, v));
                        progress.Line(string.Create(CultureInfo.InvariantCulture,
                            $"step {step}/{steps}  train loss {value:F4}  validation loss {v:F4} nats/char ({v / Math.Log(2):F3} bits/char)"));
                        Checkpoint.Save(folder.Model, model, metadata);
                    }
                    if (step % 10 == 0 || evaluate)
                        log.Row(step, value, valLoss, valLoss / Math.Log(2), optimizer.LearningRate, clock.Elapsed.TotalSeconds);
                }
            });
        }

        LineChart.Save(folder.LossPlot, $"{spec.Title} on {Path.GetFileName(textPath)}", "step", "cross-entropy (nats per character)",
        [
            new("training (mean of 20 steps)", [.. Enumerable.Range(0, losses.Count / 20).Select(i => (i + 1) * 20.0)],
                [.. Enumerable.Range(0, losses.Count / 20).Select(i => losses.Skip(i * 20).Take(20).Average())]),
            new("validation", [.. validation.Select(v => (double)v.Step)], [.. validation.Select(v => v.Loss)], Markers: true),
        ]);
        string prompt = "And ";
        string sample = prompt + corpus.Vocabulary.Decode(model.Generate(corpus.Vocabulary.Encode(prompt), sampleLength, 0.8, 0, generator));
        File.WriteAllText(Path.Combine(folder.Path, "sample.txt"), sample + "\n");
        double final = validation[^1].Loss;
        console.Out.WriteLine($"sample (temperature 0.8):\n{sample}\n");
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"validation loss: {final:F4} nats/char ({final / Math.Log(2):F3} bits/char) after {steps} steps in {clock.Elapsed.TotalSeconds:F0} s"));
        console.Out.WriteLine($"run folder: {folder.Path}");
        return ExitCodes.Ok;
    }

    /// <summary>Linear warm-up over the first 100 steps (10% of a shorter run), then cosine decay to zero:
    /// lr·min(1, s/w)·½(1 + cos(π·s/S)).</summary>
    private static double Schedule(double peak, int step, int steps) =>
        peak * Math.Min(1.0, step / (double)Math.Min(WarmupSteps, Math.Max(1, steps / 10))) * 0.5 * (1 + Math.Cos(Math.PI * step / steps));

    /// <summary>Mean cross-entropy per character over the fixed validation windows, in evaluation mode.</summary>
    public static double Validate(Nabla.Models.Language.LanguageModel model, CharCorpus corpus, int batch, int seqLen)
    {
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            double sum = 0;
            long count = 0;
            foreach (var (x, y) in corpus.ValidationBatches(batch, seqLen, ValidationWindows))
            {
                var logits = model.Call(x).Reshape([-1, corpus.Vocabulary.Count]);
                sum += Functional.CrossEntropy(logits, y.Reshape([-1]), reduction: Reduction.Sum).Item();
                count += y.NumEl;
            }
            return sum / count;
        }
        finally { model.Train(); }
    }
}
