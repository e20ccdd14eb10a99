using System.Globalization;
using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Plots;
using Nabla.Cli.Sequence.Memory;
using Nabla.Models;
using Nabla.Models.Tasks;

namespace Nabla.Cli.Lab.Experiments.RnnVsLstm;

/// <summary>rnn-vs-lstm: the gradient that reaches an input k steps back, for a plain RNN, an LSTM and a GRU, and their
/// accuracy on a task whose answer lies at the start of the sequence, as the sequence grows.</summary>
internal sealed class RnnVsLstmExperiment : ILabExperiment
{
    // The verdict's margins: gated networks must beat the RNN by this much accuracy at the longest length …
    private const double AccuracyMargin = 0.30;
    // … and the RNN's gradient at initialization must lose this many more orders of magnitude over T − 1 steps than theirs.
    private const double GradientOrdersMargin = 2;
    // A model "learned" when it beats chance by this much; if none did, the run was too short to say anything.
    private const double LearnedMargin = 0.30;

    private static readonly string[] Models = ["rnn", "lstm", "gru"];

    /// <inheritdoc/>
    public string Name => "rnn-vs-lstm";

    /// <inheritdoc/>
    public string Title => "Plain RNN vs LSTM and GRU: vanishing gradients and long-range memory";

    /// <inheritdoc/>
    public string Claim =>
        "A plain RNN's gradient vanishes exponentially with the distance back in time, so it cannot learn long-range dependencies; the gated LSTM and GRU keep the gradient alive and learn them.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        var settings = new MemorySettings(
            Task: "recall",
            Lengths: context.Pick<int[]>([5, 8], [10, 30, 60], [10, 20, 30, 50, 75, 100]),
            Models: Models,
            Hidden: context.Pick(8, 32, 32),
            Steps: context.Pick(30, 1000, 3000),
            BatchSize: context.Pick(16, 32, 32),
            LearningRate: 1e-3,
            Clip: 1,
            Init: "chrono",
            Symbols: RecallTask.DefaultSymbols,
            EvalEvery: context.Pick(10, 50, 50),
            TestSize: context.Pick(100, 500, 1000),
            Seed: context.Seed,
            Threads: Threads.Count,
            RunDirectory: context.Directory);
        int gradientBatch = context.Pick(16, 128, 512);
        int longest = settings.Lengths[^1];
        var task = new RecallTask(longest);
        var parameters = Models.ToDictionary(m => m, m => MemoryComparison.Create(settings, m, longest, context.Random(0)).ParameterCount());

        report.Setup(Invariant($"Task: recall the first symbol (`Nabla.Models.Tasks.RecallTask`, Hochreiter and Schmidhuber's experiment 2a): step 0 holds one of {task.Symbols} symbols, steps 1 … T − 1 hold random distractors from {task.Distractors} others, one-hot over {task.InputSize} channels; the label is the symbol at step 0, asked for after the last step. Chance is {LabFormat.Percent(task.ChanceAccuracy)}."));
        report.SetupList(
            Invariant($"Models (`RecurrentClassifier`): one batch-first recurrent layer of {settings.Hidden} units and a linear head on h_T. Parameters: RNN {LabFormat.N(parameters["rnn"])}, LSTM {LabFormat.N(parameters["lstm"])}, GRU {LabFormat.N(parameters["gru"])}."),
            "Initialization: PyTorch's U(−1/√H, 1/√H) for every weight; LSTM and GRU gate biases by the chrono rule (`ChronoInit`, b_f = log U(1, T − 1)), as `nabla train memory` does. The gradient chart at initialization also shows an LSTM with PyTorch's biases (forget gate σ(0) = 0.5).",
            Invariant($"Training (`nabla train memory`'s trainer): lengths T = {string.Join(", ", settings.Lengths)}; at most {LabFormat.N(settings.Steps)} Adam steps (lr {settings.LearningRate:G3}) of {settings.BatchSize} fresh sequences, gradient norm clipped at {settings.Clip:G3}; stops once the test accuracy reaches {LabFormat.Percent(RecallTask.SolvedAccuracy, 0)}; {settings.TestSize} held-out test sequences per length, evaluated every {settings.EvalEvery} steps."),
            Invariant($"Gradient: g_k = mean over {gradientBatch} sequences of ‖∂L/∂x_(T−k)‖ (each sequence's own cross-entropy, input one-hot) for k = 0 … {longest - 1}, at T = {longest}, at initialization and after training at that length."),
            Invariant($"Seed {context.Seed}: initialization, training and test sequences."));

        // 1. Gradients at initialization.
        context.Say(Invariant($"input gradients at initialization, T = {longest}"));
        var (gradientInput, gradientTarget) = task.Sample(gradientBatch, context.Random(7));
        var atInit = new Dictionary<string, double[]>();
        foreach (var m in Models)
            atInit[m] = InputGradients.Profile(MemoryComparison.Create(settings, m, longest, context.Random(1000 + Array.IndexOf(Models, m))), task, gradientInput, gradientTarget);
        var pytorchLstm = MemoryComparison.Create(settings with { Init = "pytorch" }, "lstm", longest, context.Random(1001));
        atInit["lstm-pytorch"] = InputGradients.Profile(pytorchLstm, task, gradientInput, gradientTarget);

        // 2. The memory task at every length.
        var outcome = MemoryComparison.Run(context, settings);

        // 3. Gradients of the models trained at the longest length.
        var trained = Models.ToDictionary(m => m, m => InputGradients.Profile(outcome.Longest[m], task, gradientInput, gradientTarget));

        WriteAccuracy(context, report, settings, outcome);
        WriteGradients(context, report, longest, atInit, trained);
        Explain(report);
        Conclude(report, settings, outcome, atInit, longest, task.ChanceAccuracy);

        report.Change("`--seed S` draws other initializations and sequences; the memory-task docs (docs/memory-task.md) report seeds 0–2.");
        report.Change("Edit `Lengths`, `Steps` and `Hidden` in `RnnVsLstmExperiment.Run` (src/Nabla.Cli/Lab/Experiments/RnnVsLstm) for other lengths or budgets; `Init: \"pytorch\"` there trains LSTM and GRU without chrono gate biases.");
        report.Change("`nabla train memory --lengths 10,25,50,100,200 --task adding` runs the same comparison on the adding problem, with checkpoints and a learning-curve CSV.");
    }

    private static void WriteAccuracy(LabContext context, LabReport report, MemorySettings settings, MemoryComparison.Outcome outcome)
    {
        report.Section("Accuracy against sequence length");
        var table = new LabTable(["model", .. settings.Lengths.Select(t => Invariant($"T = {t}"))]);
        foreach (var m in Models)
            table.Row([MemorySettings.Title(m), .. settings.Lengths.Select(t => Cell(outcome.Results.Single(r => r.Model == m && r.Length == t)))]);
        report.Table(table);
        foreach (var r in outcome.Results) report.Number(Invariant($"accuracy_{r.Model}_T{r.Length}"), r.TestAccuracy);

        double[] lengths = [.. settings.Lengths.Select(t => (double)t)];
        var series = Models.Select(m => new Chart.Series(MemorySettings.Title(m), lengths,
            [.. settings.Lengths.Select(t => 100 * outcome.Results.Single(r => r.Model == m && r.Length == t).TestAccuracy)], Markers: true)).ToList();
        series.Add(new Chart.Series("chance", lengths, [.. lengths.Select(_ => 100.0 / RecallTask.DefaultSymbols)]));
        Chart.Save(context.PathOf("accuracy.png"), "Recall the first symbol: test accuracy", "sequence length T", "test accuracy (%)", series, yLimits: (0, 125));
        report.Image("accuracy.png", "Test accuracy after training, against the sequence length T (the distance from the symbol to the question is T − 1).");

        int longest = settings.Lengths[^1];
        var curves = outcome.Curves.Where(c => c.Length == longest).Select(c => new Chart.Series(MemorySettings.Title(c.Model), c.Steps, [.. c.TestAccuracy.Select(a => 100 * a)], Markers: true));
        Chart.Save(context.PathOf("curves.png"), Invariant($"Learning curves at T = {longest}"), "training step", "test accuracy (%)", curves, yLimits: (0, 125));
        report.Image("curves.png", Invariant($"Test accuracy during training at T = {longest}; a run stops once it reaches 99%."));
    }

    private static void WriteGradients(LabContext context, LabReport report, int length, Dictionary<string, double[]> atInit, Dictionary<string, double[]> trained)
    {
        report.Section("The gradient reaching an input k steps back");
        double[] k = [.. Enumerable.Range(0, length).Select(i => (double)i)];
        Chart.Save(context.PathOf("gradient-init.png"), Invariant($"‖∂L/∂x_(T−k)‖ at initialization, T = {length}"), "distance back k", "mean gradient norm",
            atInit.Select(p => new Chart.Series(Label(p.Key), k, p.Value)), logY: true, yLimits: LegendRoom(atInit.Values));
        report.Image("gradient-init.png", "How much the loss at the end responds to the input k steps before it, at initialization (log scale): a straight line is exponential decay; its slope is the per-step factor.");
        Chart.Save(context.PathOf("gradient-trained.png"), Invariant($"‖∂L/∂x_(T−k)‖ after training at T = {length}"), "distance back k", "mean gradient norm",
            trained.Select(p => new Chart.Series(Label(p.Key), k, p.Value)), logY: true, yLimits: LegendRoom(trained.Values));
        report.Image("gradient-trained.png", "The same after training at this length. A model that solved the task has a small loss, so every gradient is small; what matters is the shape against k.");

        var table = new LabTable("model", "when", "g at k = 0", Invariant($"g at k = {length / 2}"), Invariant($"g at k = {length - 1}"), "fitted factor per step", Invariant($"orders of magnitude lost over {length - 1} steps"));
        void Row(string name, string when, double[] g, string key)
        {
            double slope = InputGradients.Log10SlopePerStep(g);
            table.Row(Label(name), when, LabFormat.G(g[0]), LabFormat.G(g[length / 2]), LabFormat.G(g[length - 1]), LabFormat.F(Math.Pow(10, slope), 3), LabFormat.F(-slope * (length - 1), 1));
            report.Number($"gradient_slope_log10_{key}", slope);
        }
        foreach (var p in atInit) Row(p.Key, "initialization", p.Value, p.Key.Replace('-', '_') + "_init");
        foreach (var p in trained) Row(p.Key, "trained", p.Value, p.Key + "_trained");
        report.Table(table);
        string Growth(string m) => LabFormat.G(trained[m][length - 1] / trained[m][0]);
        report.Text(Invariant($"After training, the gradient at the symbol's distance k = {length - 1} is {Growth("lstm")} times the gradient at k = 0 for the LSTM, {Growth("gru")} times for the GRU and {Growth("rnn")} times for the RNN: how strongly each trained network's loss still responds to the step-0 symbol, the only input the answer depends on, relative to the last step."));
        report.Text("The fitted factor is 10 to the least-squares slope of log₁₀ g_k against k over all k: the share of the gradient that survives one more step back. Orders of magnitude lost = −slope·(T − 1).");
    }

    // Log-axis limits from the smallest to 10^(25% of the span) above the largest value: room for the legend, which sits top right.
    private static (double Min, double Max) LegendRoom(IEnumerable<double[]> profiles)
    {
        var values = profiles.SelectMany(p => p).Where(v => v > 0 && double.IsFinite(v)).ToList();
        double low = Math.Log10(values.Min()), high = Math.Log10(values.Max()), span = Math.Max(1, high - low);
        return (Math.Pow(10, low - 0.05 * span), Math.Pow(10, high + 0.25 * span));
    }

    private static void Explain(LabReport report)
    {
        report.Section("Why");
        report.Text("An Elman RNN computes h_t = tanh(W_ih·x_t + W_hh·h_(t−1) + b). The gradient of the final loss reaches x_(T−k) through ∂h_T/∂h_(T−k) = Π diag(1 − h_t²)·W_hh, a product of k Jacobians. Each factor tanh′ = 1 − h_t² is at most 1, and at initialization W_hh has entries of variance 1/(3H), so its spectral radius is about 1/√3 ≈ 0.58: the gradient shrinks roughly like 0.58^k, a straight line on the log chart (Bengio, Simard and Frasconi, 1994; Pascanu, Mikolov and Bengio, 2013). The symbol to recall sits T − 1 steps back, so the signal that would teach the RNN to store it is many orders of magnitude below the gradient from the recent distractors.");
        report.Text("The LSTM's cell c_t = f_t ⊙ c_(t−1) + i_t ⊙ g_t has a direct path ∂c_t/∂c_(t−1) = diag(f_t): no W_hh and no tanh′ in the product. With forget gates near 1 the error flows back almost unchanged (the constant error carousel), and the input gate can learn to stay shut for distractors. The GRU's h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_(t−1) has the same kind of path, diag(z_t). The gates must start open for memory, though: with PyTorch's zero-mean biases f_t ≈ σ(0) = 0.5 and the LSTM's gradient also halves per step (the extra curve in the initialization chart); chrono initialization (Tallec and Ollivier, 2018) sets b_f = log U(1, T − 1) so units' memory times spread up to T.");
    }

    private static void Conclude(LabReport report, MemorySettings settings, MemoryComparison.Outcome outcome, Dictionary<string, double[]> atInit, int longest, double chance)
    {
        double Accuracy(string m) => outcome.Results.Single(r => r.Model == m && r.Length == longest).TestAccuracy;
        double rnn = Accuracy("rnn"), lstm = Accuracy("lstm"), gru = Accuracy("gru");
        double gatedWorst = Math.Min(lstm, gru), gatedBest = Math.Max(lstm, gru);
        // Orders of magnitude each network's gradient loses over the T − 1 steps back to the symbol, at initialization.
        double Orders(string m) => -InputGradients.Log10SlopePerStep(atInit[m]) * (longest - 1);
        double rnnOrders = Orders("rnn"), gatedOrders = Math.Max(Orders("lstm"), Orders("gru"));
        double gap = gatedWorst - rnn, orderGap = rnnOrders - gatedOrders;
        report.Number("accuracy_gap_longest", gap).Number("gradient_orders_gap_init", orderGap);

        bool learned = Math.Max(rnn, gatedBest) >= chance + LearnedMargin;
        bool holds = gap >= AccuracyMargin && orderGap >= GradientOrdersMargin;
        bool fails = (learned && rnn >= gatedBest - 0.05) || orderGap <= 0;
        report.Section("Verdict rule");
        report.Text(Invariant($"Supported when, at the longest length T = {longest}, both the LSTM's and the GRU's test accuracy exceed the RNN's by at least {AccuracyMargin * 100:F0} points, and the RNN's gradient at initialization loses at least {GradientOrdersMargin:F0} more orders of magnitude over the T − 1 steps back than the gated networks' (fitted slopes). Not supported when a model learned the task (≥ {LearnedMargin * 100:F0} points above chance) and the RNN comes within 5 points of the best gated network, or when the RNN's gradient decays no faster than theirs. Otherwise inconclusive (a run too short for any model to learn)."));
        string reason = Invariant($"At T = {longest}: RNN {LabFormat.Percent(rnn, 1)}, LSTM {LabFormat.Percent(lstm, 1)}, GRU {LabFormat.Percent(gru, 1)} test accuracy (chance {LabFormat.Percent(chance, 1)}); at initialization the RNN's input gradient falls {LabFormat.F(rnnOrders, 1)} orders of magnitude over {longest - 1} steps against at most {LabFormat.F(gatedOrders, 1)} for the LSTM and GRU.");
        report.Conclude(VerdictText.From(holds, fails && !holds), reason);
    }

    private static string Cell(MemoryResult r) =>
        LabFormat.Percent(r.TestAccuracy, 1) + (r.SolvedAtStep is int s ? Invariant($" (solved at step {s})") : Invariant($" (not solved in {r.Steps})"));

    private static string Label(string key) => key switch
    {
        "rnn" => "RNN",
        "lstm" => "LSTM (chrono)",
        "gru" => "GRU (chrono)",
        "lstm-pytorch" => "LSTM (PyTorch init)",
        _ => key,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
