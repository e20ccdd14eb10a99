using System.Globalization;
using Nabla.Cli.Lab.Plots;
using Nabla.Models.Language;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.TransformerParallelism;

/// <summary>transformer-parallelism: the time of one training step of an LSTM and a Transformer language model of the
/// same width and nearly the same parameter count, as the sequence grows, at one thread and at the run's thread count.</summary>
internal sealed class TransformerParallelismExperiment : ILabExperiment
{
    private const int Vocabulary = 32, Layers = 2, Heads = 4;
    // The verdict's margin: one model is "faster" when its median step takes at most 1/1.2 of the other's.
    private const double FasterRatio = 1.2;
    // Warm-up per model and configuration: .NET runs new code un-optimized for its first ~100 ms of calls.
    private const double WarmupSeconds = 0.5;

    /// <inheritdoc/>
    public string Name => "transformer-parallelism";

    /// <inheritdoc/>
    public string Title => "Transformer vs LSTM: the cost of sequential recurrence";

    /// <inheritdoc/>
    public string Claim =>
        "An LSTM must run its T time steps one after another, each a small matrix product, while a Transformer of the same size processes all positions at once in a few large ones, so the Transformer trains faster per step even though its attention costs O(T²).";

    /// <summary>Median seconds per step: the compared time (CPU time at one thread, wall time at more) and the wall time.</summary>
    private sealed record Measurement(int Threads, int Length, double Lstm, double Transformer, double LstmWall, double TransformerWall);

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        int d = context.Pick(16, 128, 128), batch = context.Pick(4, 16, 16);
        int[] lengths = context.Pick<int[]>([8, 16], [16, 64, 256], [16, 32, 64, 128, 256, 512]);
        int warmup = context.Pick(1, 2, 2), rounds = context.Pick(2, 3, 7);
        int feedForward = 2 * d;
        int[] threadCounts = [.. new[] { 1, Threads.Count }.Distinct()];
        var lstm = new LstmLanguageModel(Vocabulary, d, d, Layers, 0, context.Random(1));
        var transformer = new CausalTransformer(Vocabulary, d, Heads, feedForward, Layers, lengths[^1], context.Random(2));
        long lstmParameters = lstm.ParameterCount(), transformerParameters = transformer.ParameterCount();

        report.Setup(Invariant($"Two language models of width d = {d}, {Layers} layers each, over a vocabulary of {Vocabulary}, trained on random token ids (the data do not change the arithmetic): batches of {batch} sequences of T = {string.Join(", ", lengths)} tokens. A step is forward, cross-entropy over all T·B next-token predictions, backward and an Adam update."));
        report.SetupList(
            Invariant($"LSTM (`LstmLanguageModel`): embedding {d}, {Layers} LSTM layers of {d} units (each layer's recurrence one fused graph node; the input projection of all T steps one GEMM), linear head: {LabFormat.N(lstmParameters)} parameters."),
            Invariant($"Transformer (`CausalTransformer`, decoder-only): embedding {d} plus sinusoidal positions, {Layers} pre-norm encoder layers under a causal mask, {Heads} heads, feed-forward {feedForward} with ReLU as in Vaswani et al., final layer norm, linear head: {LabFormat.N(transformerParameters)} parameters. With feed-forward 2d a layer holds 8d² weights, as an LSTM layer does (4 gates × (d + d) × d). (`TransformerLanguageModel` is the same with GELU, whose kernel in Nabla currently costs several times ReLU's and would dominate the timing.)"),
            Invariant($"Timing: warm-up steps until each model has run {warmup} and for {WarmupSeconds:G2} s (JIT tiering, buffers), then {rounds} rounds of one step of each model in turn (interleaved, so a busy moment of the shared machine hits both); the median per model. At one thread the time compared is the process's CPU time per step, which equals the wall time on an idle machine but does not count moments when other jobs hold the core; at more threads it is wall time, the quantity parallelism shortens (results.json has both). Threads: {string.Join(" and ", threadCounts)} (`--threads N` sets the second)."),
            Invariant($"Seed {context.Seed}: initialization and token ids."));

        var measurements = new List<Measurement>();
        foreach (int threads in threadCounts)
        {
            using var limit = new ThreadLimit(threads);
            foreach (int length in lengths)
            {
                var generator = context.Random(100 + length);
                var ids = Tensor.RandInt(0, Vocabulary, [batch, length], generator: generator);
                var targets = Tensor.RandInt(0, Vocabulary, [batch, length], generator: generator);
                var lstmOptimizer = new Adam(lstm.Parameters(), lr: 1e-4);
                var transformerOptimizer = new Adam(transformer.Parameters(), lr: 1e-4);
                var medians = StepTimer.Medians([() => Step(lstm, lstmOptimizer, ids, targets), () => Step(transformer, transformerOptimizer, ids, targets)], warmup, WarmupSeconds, rounds);
                // One thread: the process's CPU time, which is the wall time of an idle machine and does not count the
                // moments another job holds the core. More threads: wall time, the quantity parallelism shortens.
                double Time(StepTimer.Timing t) => threads == 1 ? t.Cpu : t.Wall;
                measurements.Add(new Measurement(threads, length, Time(medians[0]), Time(medians[1]), medians[0].Wall, medians[1].Wall));
                context.Say(Invariant($"{threads} thread{(threads > 1 ? "s" : "")}, T = {length}: LSTM {Time(medians[0]) * 1000:F1} ms, Transformer {Time(medians[1]) * 1000:F1} ms per step (wall {medians[0].Wall * 1000:F1} and {medians[1].Wall * 1000:F1} ms)"));
            }
        }

        WriteTimes(context, report, measurements, threadCounts, lengths, batch, d, feedForward);
        Explain(report, d, lengths[^1]);
        Conclude(report, measurements, threadCounts, lengths, d);
        report.Change("`--threads N` measures at N threads besides 1 (the default is every core); `--seed S` draws other weights and tokens.");
        report.Change("Edit `d`, `batch` and `lengths` in `TransformerParallelismExperiment.Run` (src/Nabla.Cli/Lab/Experiments/TransformerParallelism): a larger batch gives the LSTM's per-step products more rows, lengths beyond d show the attention's T² term take over.");
        report.Change("`dotnet run -c Release --project benchmarks/Nabla.Benchmarks -- --only lstm,transformer --threads 1,2` times the benchmark workloads against TorchSharp.");
    }

    private static void Step(Module<Tensor, Tensor> model, Adam optimizer, Tensor ids, Tensor targets)
    {
        var logits = model.Call(ids);
        var loss = Functional.CrossEntropy(logits.Reshape([-1, Vocabulary]), targets.Reshape([-1]));
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
    }

    private static void WriteTimes(LabContext context, LabReport report, List<Measurement> measurements, int[] threadCounts, int[] lengths, int batch, int d, int feedForward)
    {
        report.Section("Time per training step");
        var table = new LabTable("threads", "T", "LSTM step", "Transformer step", "LSTM / Transformer", "LSTM per token", "Transformer per token",
            "LSTM GFLOP/s", "Transformer GFLOP/s");
        foreach (var m in measurements)
        {
            double tokens = (double)batch * m.Length;
            double lstmFlops = StepCost.Lstm(batch, m.Length, d, Layers, Vocabulary), transformerFlops = StepCost.Transformer(batch, m.Length, d, feedForward, Layers, Vocabulary);
            table.Row(m.Threads.ToString(CultureInfo.InvariantCulture), m.Length.ToString(CultureInfo.InvariantCulture), Ms(m.Lstm), Ms(m.Transformer),
                LabFormat.F(m.Lstm / m.Transformer, 2), Us(m.Lstm / tokens), Us(m.Transformer / tokens),
                LabFormat.F(lstmFlops / m.Lstm / 1e9, 1), LabFormat.F(transformerFlops / m.Transformer / 1e9, 1));
            string key = Invariant($"t{m.Threads}_T{m.Length}");
            report.Number($"lstm_ms_{key}", m.Lstm * 1000).Number($"transformer_ms_{key}", m.Transformer * 1000)
                .Number($"lstm_wall_ms_{key}", m.LstmWall * 1000).Number($"transformer_wall_ms_{key}", m.TransformerWall * 1000);
        }
        report.Table(table);
        report.Text("GFLOP/s is the step's matrix arithmetic (`StepCost`: 3 × the forward products, element-wise work left out) divided by its measured time: how well each model keeps the cores busy.");

        double[] x = [.. lengths.Select(t => (double)t)];
        var series = new List<ScalingChart.Series>();
        foreach (int threads in threadCounts)
        {
            var rows = measurements.Where(m => m.Threads == threads).ToList();
            string suffix = threadCounts.Length > 1 ? Invariant($", {threads} thread{(threads > 1 ? "s" : "")}") : "";
            series.Add(new ScalingChart.Series("LSTM" + suffix, x, [.. rows.Select(m => m.Lstm * 1000)]));
            series.Add(new ScalingChart.Series("Transformer" + suffix, x, [.. rows.Select(m => m.Transformer * 1000)]));
        }
        ScalingChart.Save(context.PathOf("step-time.png"), Invariant($"Training step time, batch {batch}, d = {d}"), "sequence length T", "median step time (ms)", series);
        report.Image("step-time.png", "Median time of one training step against the sequence length (log-log: a slope of 1 is time ∝ T, a slope of 2 is time ∝ T²).");

        var perToken = new List<Chart.Series>();
        foreach (int threads in threadCounts)
        {
            var rows = measurements.Where(m => m.Threads == threads).ToList();
            string suffix = threadCounts.Length > 1 ? Invariant($", {threads} thread{(threads > 1 ? "s" : "")}") : "";
            perToken.Add(new Chart.Series("LSTM" + suffix, x, [.. rows.Select(m => m.Lstm / (batch * m.Length) * 1e6)], Markers: true));
            perToken.Add(new Chart.Series("Transformer" + suffix, x, [.. rows.Select(m => m.Transformer / (batch * m.Length) * 1e6)], Markers: true));
        }
        double top = perToken.SelectMany(s => s.Y).Max();
        Chart.Save(context.PathOf("time-per-token.png"), "Training time per token", "sequence length T", "µs per token", perToken, yLimits: (0, top * 1.35));
        report.Image("time-per-token.png", "Step time divided by the B·T tokens of the batch: flat means the cost per token does not depend on the length.");

        report.Section("Scaling");
        var scaling = new LabTable("threads", "model", Invariant($"fitted exponent (time ∝ T^p, T = {lengths[0]}–{lengths[^1]})"), Invariant($"time at T = {lengths[^1]} / time at T = {lengths[0]}"));
        foreach (int threads in threadCounts)
        {
            var rows = measurements.Where(m => m.Threads == threads).ToList();
            double pl = Exponent(rows.Select(m => (m.Length, m.Lstm))), pt = Exponent(rows.Select(m => (m.Length, m.Transformer)));
            scaling.Row(threads.ToString(CultureInfo.InvariantCulture), "LSTM", LabFormat.F(pl, 2), LabFormat.F(rows[^1].Lstm / rows[0].Lstm, 1));
            scaling.Row(threads.ToString(CultureInfo.InvariantCulture), "Transformer", LabFormat.F(pt, 2), LabFormat.F(rows[^1].Transformer / rows[0].Transformer, 1));
            report.Number(Invariant($"lstm_exponent_t{threads}"), pl).Number(Invariant($"transformer_exponent_t{threads}"), pt);
        }
        report.Table(scaling);
        if (threadCounts.Length > 1)
        {
            int many = threadCounts[^1];
            var speedups = new LabTable(["model", .. lengths.Select(t => Invariant($"T = {t}"))]);
            double Speedup(int t, bool isLstm)
            {
                var one = measurements.Single(m => m.Threads == 1 && m.Length == t);
                var more = measurements.Single(m => m.Threads == many && m.Length == t);
                return isLstm ? one.Lstm / more.Lstm : one.Transformer / more.Transformer;
            }
            speedups.Row(["LSTM", .. lengths.Select(t => LabFormat.F(Speedup(t, true), 2) + "×")]);
            speedups.Row(["Transformer", .. lengths.Select(t => LabFormat.F(Speedup(t, false), 2) + "×")]);
            report.Text(Invariant($"Speed-up from 1 to {many} threads (time at 1 thread / time at {many}); on a machine shared with other jobs the second core is not always free, so treat these as lower bounds:"));
            report.Table(speedups);
        }
    }

    private static void Explain(LabReport report, int d, int longest)
    {
        var (lstmPath, transformerPath) = StepCost.CriticalPath(longest, Layers);
        report.Section("Why: the critical path and the measurement");
        report.Text(Invariant($"The argument (Vaswani et al., 2017, section 4). An LSTM layer computes h_t from h_(t−1): the input projection W_ih·x_t of all T steps is one large matrix product, but the recurrent product W_hh·h_(t−1) and the gates must be done T times in order, each a [B, d]·[d, 4d] product too small to keep many cores busy; backpropagation through time walks the same chain backwards. A self-attention layer has no such chain: Q, K, V = X·W for all positions at once, scores Q·Kᵀ/√d_k, softmax, A·V, then the feed-forward, a fixed number of large products whatever T. At T = {longest} with {Layers} layers the LSTM's step has about {lstmPath} operations that must wait for each other, the Transformer's about {transformerPath}. The price is arithmetic: attention costs O(T²·d) per layer against the projections' O(T·d²), so the Transformer does more work than the LSTM once T is comparable to d (here d = {d}; see `StepCost`)."));
        report.Text("The measurement says what that buys on this machine. A short critical path pays off only on hardware with parallelism to fill: a GPU runs the Transformer's few large products across thousands of lanes while the LSTM leaves most of them idle for T steps, which is why Transformers displaced recurrent networks in practice. A CPU with one or two cores is already kept busy by a batch of small products, so the question there is arithmetic throughput: large products run nearer the core's peak than small ones (the GFLOP/s columns), and the Transformer does more arithmetic as T grows. The critical-path argument is not measured here; the times and their scaling are.");
    }

    private static void Conclude(LabReport report, List<Measurement> measurements, int[] threadCounts, int[] lengths, int d)
    {
        int threads = threadCounts[^1];
        var rows = measurements.Where(m => m.Threads == threads).ToList();
        // The lengths where the claim's premise holds: attention's T² term no larger than the projections (T ≤ d).
        var inRange = rows.Where(m => m.Length <= d).ToList();
        if (inRange.Count == 0) inRange = [rows[0]];
        double worst = inRange.Min(m => m.Lstm / m.Transformer), best = inRange.Max(m => m.Lstm / m.Transformer);
        var longest = rows[^1];
        report.Number("ratio_worst_T_le_d", worst).Number("ratio_best_T_le_d", best).Number("ratio_longest", longest.Lstm / longest.Transformer);
        bool holds = worst >= FasterRatio;
        bool fails = worst <= 1 / FasterRatio;
        report.Section("Verdict rule");
        report.Text(Invariant($"Measured at {threads} thread{(threads > 1 ? "s" : "")}, over the lengths T ≤ d = {d} where the claim's premise holds (attention's T² arithmetic no larger than the projections'): supported when the Transformer's step is at least {FasterRatio:F1}× faster than the LSTM's at every such length; not supported when the LSTM's step is at least {FasterRatio:F1}× faster at any of them; otherwise inconclusive. Beyond T = d the Transformer's extra arithmetic is expected to eat into any lead, and the tables show what it does."));
        if (Crossover(rows) is { } crossing)
        {
            report.Text(Invariant($"The two step times cross near T ≈ {crossing:F0} (interpolated in log T): the Transformer is the faster below it, the LSTM above."));
            report.Number("crossover_length", crossing);
        }
        string reason = Invariant($"At {threads} thread{(threads > 1 ? "s" : "")}, LSTM / Transformer step time is {LabFormat.F(worst, 2)}–{LabFormat.F(best, 2)} for T ≤ {d} ({string.Join(", ", inRange.Select(m => $"T = {m.Length}: {Ms(m.Lstm)} vs {Ms(m.Transformer)}"))}), and {LabFormat.F(longest.Lstm / longest.Transformer, 2)} at T = {longest.Length}.");
        report.Conclude(VerdictText.From(holds, fails && !holds), reason);
    }

    // The first length at which the LSTM / Transformer time ratio falls through 1, interpolated linearly in log T and log ratio;
    // null when it never does (or starts below 1).
    private static double? Crossover(List<Measurement> rows)
    {
        for (int i = 0; i + 1 < rows.Count; i++)
        {
            double a = Math.Log(rows[i].Lstm / rows[i].Transformer), b = Math.Log(rows[i + 1].Lstm / rows[i + 1].Transformer);
            if (a > 0 && b <= 0)
                return Math.Exp(Math.Log(rows[i].Length) + (Math.Log(rows[i + 1].Length) - Math.Log(rows[i].Length)) * a / (a - b));
        }
        return null;
    }

    // The least-squares slope of log time against log T.
    private static double Exponent(IEnumerable<(int Length, double Seconds)> points)
    {
        var p = points.Select(q => (X: Math.Log(q.Length), Y: Math.Log(q.Seconds))).ToList();
        double mx = p.Average(q => q.X), my = p.Average(q => q.Y);
        double sxx = p.Sum(q => (q.X - mx) * (q.X - mx));
        return sxx == 0 ? 0 : p.Sum(q => (q.X - mx) * (q.Y - my)) / sxx;
    }

    private static string Ms(double seconds) => LabFormat.F(seconds * 1000, 1) + " ms";

    private static string Us(double seconds) => LabFormat.F(seconds * 1e6, 1) + " µs";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
