using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Arguments;
using Nabla.Cli.Sequence;
using Nabla.Cli.Sequence.Seq2Seq;
using Nabla.Cli.Training;
using Nabla.IO;
using Nabla.Models.Tasks;
using Nabla.Models.Translation;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla train seq2seq</c>: translates free-form dates to ISO dates with an LSTM encoder-decoder with
/// attention or a Transformer, trained with teacher forcing on freshly generated examples each step, evaluated by exact
/// match on held-out dates with greedy decoding and beam search.</summary>
internal static class TrainSeq2SeqCommand
{
    private const int WarmupSteps = 200, EvaluationSubset = 500;

    public static int Run(CliConsole console, ReadOnlySpan<string> args)
    {
        var options = ArgumentParser.Parse(SequenceCatalog.TrainSeq2Seq, args);
        if (options.HelpRequested) { console.Out.Write(SequenceCatalog.TrainSeq2Seq.Usage()); return ExitCodes.Ok; }
        string arch = options.Choice("--arch", "lstm", "lstm", "transformer");
        bool lstm = arch == "lstm";
        int steps = options.Int("--steps", lstm ? 3000 : 3000);
        int batch = options.Int("--batch-size", 64);
        int hidden = options.Int("--hidden", lstm ? 128 : 128);
        int heads = options.Int("--heads", 4);
        int layers = options.Int("--layers", 2);
        double dropout = options.NonNegativeDouble("--dropout", 0.1);
        double lr = options.PositiveDouble("--lr", lstm ? 2e-3 : 1e-3);
        int beam = options.Int("--beam", 4);
        int testSize = options.Int("--test-size", 2000);
        int evalEvery = options.Int("--eval-every", 500);
        long seed = options.Long("--seed", 0);
        if (!lstm && hidden % heads != 0) throw options.Bad("--heads", heads.ToString(CultureInfo.InvariantCulture), $"a divisor of --hidden ({hidden})");
        if (dropout >= 1) throw options.Bad("--dropout", dropout.ToString(CultureInfo.InvariantCulture), "a probability below 1");
        if (options.Has("--threads")) Threads.Count = options.Int("--threads", Threads.Count);
        var folder = new RunFolder(options.String("--out", RunFolder.DefaultPath($"seq2seq-{arch}")));

        var data = new DateBatches();
        var generator = new Generator(seed);
        var test = DateTranslation.Sample(testSize, test: true, new Generator(seed + 1_000_003));
        Seq2SeqModel model = lstm
            ? new LstmAttentionSeq2Seq(data.Source.Count, data.Target.Count, 64, hidden, dropout, generator)
            : new TransformerSeq2Seq(data.Source.Count, data.Target.Count, hidden, heads, layers, layers, 4 * hidden, dropout, 64, generator);
        string title = lstm
            ? $"LSTM encoder-decoder with additive attention (hidden {hidden})"
            : $"Transformer encoder-decoder ({layers}+{layers} layers, d_model {hidden}, {heads} heads)";
        var metadata = new Dictionary<string, string>
        {
            ["arch"] = "seq2seq",
            ["kind"] = arch,
            ["hidden"] = hidden.ToString(CultureInfo.InvariantCulture),
            ["heads"] = heads.ToString(CultureInfo.InvariantCulture),
            ["layers"] = layers.ToString(CultureInfo.InvariantCulture),
            ["task"] = "dates to ISO 8601",
        };
        var optimizer = new Adam(model.Parameters(), lr: lr);
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{title}: {model.ParameterCount():N0} parameters; dates in {DateTranslation.Formats.Count} formats → ISO; {testSize} held-out test dates"));
        console.Out.WriteLine(string.Join("\n", test.Take(3).Select(e => $"  \"{e.Source}\" → {e.Target}")));

        var losses = new List<double>();
        var curve = new List<(int Step, double Accuracy)>();
        var clock = Stopwatch.StartNew();
        using (var log = new CsvLog(folder.Metrics, "step", "train_loss", "test_exact_match_greedy", "lr", "seconds"))
        {
            StepView.Run(console, $"seq2seq {arch}", steps, progress =>
            {
                for (int step = 1; step <= steps; step++)
                {
                    optimizer.LearningRate = lr * Math.Min(1.0, step / (double)Math.Min(WarmupSteps, Math.Max(1, steps / 10))) * 0.5 * (1 + Math.Cos(Math.PI * step / steps));
                    var (source, lengths, input, target) = data.Make(DateTranslation.Sample(batch, test: false, generator));
                    var logits = model.Forward(source, lengths, input);
                    var loss = Functional.CrossEntropy(logits.Reshape([-1, data.Target.Count]), target.Reshape([-1]));
                    optimizer.ZeroGrad();
                    loss.Backward();
                    GradientClipping.ClipGradNorm(model.Parameters(), 1.0);
                    optimizer.Step();
                    double value = loss.Item();
                    losses.Add(value);
                    progress.Step(step, value);
                    double? accuracy = null;
                    if (step % evalEvery == 0 || step == steps)
                    {
                        accuracy = ExactMatch(model, data, test.Take(EvaluationSubset).ToArray(), beam: 1);
                        curve.Add((step, accuracy.Value));
                        progress.Line(string.Create(CultureInfo.InvariantCulture,
                            $"step {step}/{steps}  loss {value:F4}  exact-match (greedy, {Math.Min(EvaluationSubset, test.Length)} test dates) {accuracy * 100:F2}%"));
                        Checkpoint.Save(folder.Model, model, metadata);
                    }
                    if (step % 10 == 0 || accuracy is not null)
                        log.Row(step, value, accuracy, optimizer.LearningRate, clock.Elapsed.TotalSeconds);
                }
            });
        }
        double trainSeconds = clock.Elapsed.TotalSeconds;

        LineChart.Save(folder.LossPlot, title, "step", "cross-entropy per target token",
            [new("training (mean of 20 steps)", [.. Enumerable.Range(0, losses.Count / 20).Select(i => (i + 1) * 20.0)],
                [.. Enumerable.Range(0, losses.Count / 20).Select(i => losses.Skip(i * 20).Take(20).Average())])]);
        LineChart.Save(Path.Combine(folder.Path, "accuracy.png"), title, "step", "exact match on held-out dates (greedy)",
            [new("greedy", [.. curve.Select(c => (double)c.Step)], [.. curve.Select(c => c.Accuracy * 100)], Markers: true)]);
        SaveAttention(model, data, test[0], Path.Combine(folder.Path, "attention.png"), title);

        double greedy = ExactMatch(model, data, test, beam: 1, errors: Path.Combine(folder.Path, "errors.txt"));
        double searched = ExactMatch(model, data, test, beam);
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {steps} steps in {trainSeconds:F0} s; test exact-match with greedy decoding {greedy * 100:F2}%, with beam search (beam {beam}) {searched * 100:F2}%"));
        console.Out.WriteLine($"run folder: {folder.Path}");
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test exact-match: {searched * 100:F2}%"));
        return ExitCodes.Ok;
    }

    /// <summary>The fraction of <paramref name="examples"/> whose decoded output equals the ISO date exactly
    /// (beam 1: greedy); the misses go to <paramref name="errors"/> when given.</summary>
    public static double ExactMatch(Seq2SeqModel model, DateBatches data, DateTranslation.Example[] examples, int beam, string? errors = null)
    {
        model.Eval();
        try
        {
            int correct = 0;
            var misses = new List<string>();
            for (int start = 0; start < examples.Length; start += 250)
            {
                var chunk = examples[start..Math.Min(examples.Length, start + 250)];
                var (source, lengths, _, _) = data.Make(chunk);
                var decoded = beam == 1
                    ? Decoding.Greedy(model, source, lengths, DateBatches.TargetSteps)
                    : Decoding.Beam(model, source, lengths, DateBatches.TargetSteps, beam);
                for (int i = 0; i < chunk.Length; i++)
                {
                    string output = data.Target.Decode(decoded[i]);
                    if (output == chunk[i].Target) correct++;
                    else misses.Add($"\"{chunk[i].Source}\" → {output} (expected {chunk[i].Target})");
                }
            }
            if (errors is not null) File.WriteAllLines(errors, misses);
            return correct / (double)examples.Length;
        }
        finally { model.Train(); }
    }

    internal static void SaveAttention(Seq2SeqModel model, DateBatches data, DateTranslation.Example example, string path, string title)
    {
        model.Eval();
        try
        {
            var (source, lengths, _, _) = data.Make([example]);
            var steps = new List<Tensor>();
            var output = Decoding.Greedy(model, source, lengths, DateBatches.TargetSteps, steps)[0];
            Tensor weights;   // [output steps, S]
            if (model is TransformerSeq2Seq transformer)
            {
                var prefix = Tensor.FromArray<long>([Nabla.Data.Text.SpecialTokens.BosId, .. output], [1, output.Length + 1]);
                weights = transformer.MemoryAttention(source, lengths, prefix).Select(0, 0);
            }
            else weights = Tensor.Stack([.. steps.Select(w => w.Select(0, 0))], 0);
            var values = weights.To(DType.Float64);
            var grid = new double[values.Shape[0], values.Shape[1]];
            for (int i = 0; i < grid.GetLength(0); i++)
                for (int j = 0; j < grid.GetLength(1); j++) grid[i, j] = values[i, j];
            AttentionHeatmap.Save(path, $"attention: \"{example.Source}\" → {data.Target.Decode(output)}", grid, example.Source, data.Target.Decode(output));
        }
        finally { model.Train(); }
    }
}
