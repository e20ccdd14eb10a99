using System.Globalization;
using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Plots;

namespace Nabla.Cli.Lab.Experiments.MultiHead;

/// <summary>multi-head: one-layer Transformers of the same width with 1, 2, 4 and 8 heads learn to copy the tokens at four
/// offsets; the report compares their accuracy and shows where each head of the 4-head model looks.</summary>
internal sealed class MultiHeadExperiment : ILabExperiment
{
    /// <inheritdoc/>
    public string Name => "multi-head";

    /// <inheritdoc/>
    public string Title => "Multi-head attention: several heads attend to several places at once";

    /// <inheritdoc/>
    public string Claim => "At equal model width, several attention heads beat a single head when each position needs information from several places, because each head can attend to a different place while one head must blend them.";

    /// <summary>The margin (fraction of labels) by which the best multi-head model must beat one head.</summary>
    private const double Margin = 0.05;

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        var s = MultiHeadSettings.For(context);
        string offsets = string.Join(", ", s.Offsets.Select(o => "t" + o.ToString("+0;−0", CultureInfo.InvariantCulture)));
        var test = OffsetCopyTask.Sample(s.TestCount, s.Length, s.Vocabulary, s.Offsets, context.Random(1));
        TaggerConfig Config(int heads) => new(s.Vocabulary, s.Vocabulary, s.Offsets.Length, s.Length, s.DModel, heads, 1, s.FeedForward, PositionCode.Sinusoidal);
        long parameters = new TokenTagger(Config(1), context.Random(2)).ParameterCount();

        report.Setup($"Task, **copying with offsets**: sequences of {s.Length} tokens drawn uniformly from {s.Vocabulary} symbols; at every position t the model outputs {s.Offsets.Length} tokens, those at positions {offsets} (a label is skipped where that position falls outside the sequence). Each output needs a different place in the sequence, so a single attention layer has to look at {s.Offsets.Length} places at once. Chance is {LabFormat.Percent(1.0 / s.Vocabulary, 0)} per label.")
            .SetupList(
                $"Model: token embedding + sinusoidal positions, one pre-norm Transformer encoder layer (d_model {s.DModel}, feed-forward {s.FeedForward}, no dropout), final layer norm, a linear head to {s.Offsets.Length} × {s.Vocabulary} logits per position. Heads: {string.Join(", ", s.HeadCounts)}, each of width d_model / heads; every model has the same {LabFormat.N(parameters)} parameters (the projections W_Q, W_K, W_V, W_O are d_model × d_model whatever the number of heads).",
                $"Training: {s.Steps} steps of Adam (peak learning rate {LabFormat.G(s.LearningRate)}, warm-up then cosine decay, gradient norm clipped at 1), {s.BatchSize} fresh random sequences per step, cross-entropy over all labels; the same data stream for every head count.",
                $"Runs: {s.Seeds} seed{(s.Seeds == 1 ? "" : "s")} per head count (initialization and data from --seed {context.Seed}); accuracy measured on {s.TestCount} held-out sequences.");

        var runs = new Dictionary<int, List<(TokenTagger Model, TaggerTrainer.History History)>>();
        foreach (int heads in s.HeadCounts) runs[heads] = [];
        for (int seed = 0; seed < s.Seeds; seed++)
            foreach (int heads in s.HeadCounts)
            {
                context.Say($"{heads} head{(heads == 1 ? "" : "s")}, seed {seed + 1}/{s.Seeds}: training {s.Steps} steps");
                var model = new TokenTagger(Config(heads), context.Random(100 + 10 * seed + heads));
                var history = TaggerTrainer.Train(model, (n, g) => OffsetCopyTask.Sample(n, s.Length, s.Vocabulary, s.Offsets, g), test,
                    new TaggerTrainer.Settings(s.Steps, s.BatchSize, s.LearningRate, s.EvaluateEvery), context.Random(1000 + seed));
                context.Say($"{heads} head{(heads == 1 ? "" : "s")}, seed {seed + 1}: {LabFormat.Percent(history.Final.Token, 1)} per label in {LabFormat.Seconds(history.Seconds)}");
                runs[heads].Add((model, history));
            }

        var accuracy = s.HeadCounts.ToDictionary(h => h, h => runs[h].Average(r => r.History.Final.Token));
        var sequenceAccuracy = s.HeadCounts.ToDictionary(h => h, h => runs[h].Average(r => r.History.Final.Sequence));
        double spread = s.HeadCounts.Max(h => runs[h].Max(r => r.History.Final.Token) - runs[h].Min(r => r.History.Final.Token));

        report.Section("Accuracy by number of heads");
        var table = new LabTable("heads", "head width", "accuracy per label", "sequences all right", s.Seeds > 1 ? "range over seeds (per label)" : "final loss", "training time");
        foreach (int heads in s.HeadCounts)
        {
            var r = runs[heads];
            table.Row(heads.ToString(CultureInfo.InvariantCulture), (s.DModel / heads).ToString(CultureInfo.InvariantCulture),
                LabFormat.Percent(accuracy[heads], 1), LabFormat.Percent(sequenceAccuracy[heads], 1),
                s.Seeds > 1 ? $"{LabFormat.Percent(r.Min(x => x.History.Final.Token), 1)} – {LabFormat.Percent(r.Max(x => x.History.Final.Token), 1)}" : LabFormat.F(r[0].History.StepLosses[^1]),
                LabFormat.Seconds(r.Average(x => x.History.Seconds)));
            report.Number($"accuracy_{heads}_heads", accuracy[heads]).Number($"sequence_accuracy_{heads}_heads", sequenceAccuracy[heads]);
        }
        report.Table(table);
        GroupedBars.Save(context.PathOf("accuracy-by-heads.png"), $"copying {s.Offsets.Length} offsets at d_model {s.DModel}: test accuracy after {s.Steps} steps", "attention heads (d_model fixed)", "test accuracy (%)",
            [.. s.HeadCounts.Select(h => $"{h} head{(h == 1 ? "" : "s")} of width {s.DModel / h}")],
            [
                new GroupedBars.Series("per label", [.. s.HeadCounts.Select(h => 100 * accuracy[h])]),
                new GroupedBars.Series("per sequence (all labels right)", [.. s.HeadCounts.Select(h => 100 * sequenceAccuracy[h])]),
            ]);
        report.Image("accuracy-by-heads.png", $"Held-out accuracy of each head count at the same width and number of steps (mean over seeds); chance is {LabFormat.Percent(1.0 / s.Vocabulary, 0)} per label.");
        Chart.Save(context.PathOf("learning-curves.png"), "test accuracy per label during training", "step", "test accuracy per label (%)",
            s.HeadCounts.Select(h => new Chart.Series($"{h} head{(h == 1 ? "" : "s")}",
                [.. runs[h][0].History.Curve.Select(c => (double)c.Step)],
                [.. Enumerable.Range(0, runs[h][0].History.Curve.Count).Select(i => 100 * runs[h].Average(r => r.History.Curve[i].Score.Token))], Markers: true)),
            yLimits: (0, 102));
        report.Image("learning-curves.png", "Test accuracy per label during training, one curve per head count (mean over seeds).");

        ShowHeads(context, report, s, runs, test, offsets);

        int single = s.HeadCounts[0];
        var multi = s.HeadCounts.Where(h => h > 1).ToArray();
        int best = multi.OrderByDescending(h => accuracy[h]).First();
        double gap = accuracy[best] - accuracy[single];
        double chance = 1.0 / s.Vocabulary, learned = chance + (1 - chance) / 2;
        double needed = Math.Max(Margin, 2 * spread);
        bool trained = accuracy[best] >= learned;
        report.Number("best_multi_head_gain", gap).Number("seed_spread", spread).Number("best_heads", best);
        report.Section("Why");
        report.Text($"An attention head computes, for the query at position t, one weighted average of the value vectors: out_t = Σ_j a_tj · W_V x_j with weights a_tj = softmax_j(q_t · k_j / √d_head) that sum to 1. One head therefore produces one blend per position. To copy {s.Offsets.Length} tokens from {s.Offsets.Length} places, a single head must spread its weight over those places, and its output is the sum of their value vectors, in which the token from t{s.Offsets[0].ToString("+0;−0", CultureInfo.InvariantCulture)} and the token from t{s.Offsets[^1].ToString("+0;−0", CultureInfo.InvariantCulture)} are added into the same coordinates: which token came from which place survives only in the sizes of the weights. With H heads, each head forms its own blend in its own d_model / H coordinates, and W_O reads the concatenation, so H heads can bring H tokens in side by side; with fewer heads than places to copy, some head must still blend two or more. The parameter count does not change: W_Q, W_K, W_V and W_O stay d_model × d_model, only cut into H slices.");
        report.Text($"Verdict rule: **supported** if the best multi-head model (of {string.Join(", ", multi)} heads) beats one head by at least {LabFormat.Percent(Margin, 0)} of the labels and by more than twice the largest spread between seeds of one head count (here {LabFormat.Percent(spread, 1)}), once the task is learned (best accuracy ≥ {LabFormat.Percent(learned, 0)}, halfway from chance to perfect); **not supported** if, once learned, one head is within 1 point of the best or better; otherwise **inconclusive**.");
        var verdict = !trained ? Verdict.Inconclusive : VerdictText.From(gap >= needed, gap <= 0.01);
        string reason = !trained
            ? $"no model learned the task (best {LabFormat.Percent(accuracy[best], 1)} per label, below {LabFormat.Percent(learned, 0)}): too short a run to compare head counts"
            : $"{best} heads reach {LabFormat.Percent(accuracy[best], 1)} of the labels, 1 head {LabFormat.Percent(accuracy[single], 1)}: a gain of {LabFormat.F(100 * gap, 1)} points (needed: {LabFormat.F(100 * needed, 1)})";
        report.Conclude(verdict, reason);

        report.Change("`--seed S` draws other initializations and data; the full scale runs two seeds per head count, so the table shows the spread.")
            .Change("Edit `MultiHeadSettings.cs` (src/Nabla.Cli/Lab/Experiments/MultiHead) to change the offsets, d_model, the head counts or the number of steps; with a single offset one head has nothing to blend, a control worth running.")
            .Change("The model is `TokenTagger` (src/Nabla.Cli/Lab/Common): set `Layers` above 1 to let a single head gather in several steps.");
    }

    /// <summary>Per-head attention maps of the 4-head model (or the largest head count below 8) and of the 1-head model, and the
    /// offset each head attends to.</summary>
    private static void ShowHeads(LabContext context, LabReport report, MultiHeadSettings s,
        Dictionary<int, List<(TokenTagger Model, TaggerTrainer.History History)>> runs, TaggedBatch test, string offsets)
    {
        int shown = s.HeadCounts.Contains(4) ? 4 : s.HeadCounts.Max();
        var sample = test.Head(256);
        var maps = runs[shown][0].Model.AttentionMaps(sample.Tokens)[0];   // [N, H, T, T]
        var profile = AttentionOffsets.Profile(maps);
        var tokens = sample.Tokens.Select(0, 0).ToArray<long>();
        var labels = Enumerable.Range(0, s.Length).Select(t => $"{t}:{tokens[t]}").ToArray();
        var example = maps.Select(0, 0);   // [H, T, T] of the first test sequence
        var panels = Enumerable.Range(0, shown).Select(h => new HeatmapPanels.Panel($"head {h + 1} of {shown}", TensorGrid.Of(example.Select(0, h)))).ToList();
        HeatmapPanels.Save(context.PathOf("heads.png"), panels, labels, labels, "key position:token", "query position:token", 0, 1, columns: Math.Min(shown, 2), panelWidth: 520, panelHeight: 460);

        report.Section($"Where the heads of the {shown}-head model look");
        report.Image("heads.png", $"Attention weights of each head of the trained {shown}-head model on one test sequence (labels: position:token); row t is the distribution of the query at t over the keys. The task's offsets are {offsets}.");
        var one = runs[s.HeadCounts[0]][0].Model.AttentionMaps(sample.Tokens)[0];
        var oneProfile = AttentionOffsets.Profile(one);
        var table = new LabTable(["model", "head", .. s.Offsets.Select(o => "weight on t" + o.ToString("+0;−0", CultureInfo.InvariantCulture)), "strongest other offset"]);
        for (int h = 0; h < shown; h++) table.Row(HeadRow($"{shown} heads", h, profile, s.Offsets));
        for (int h = 0; h < one.Shape[1]; h++) table.Row(HeadRow($"{s.HeadCounts[0]} head{(s.HeadCounts[0] == 1 ? "" : "s")}", h, oneProfile, s.Offsets));
        report.Table(table);
        var covered = s.Offsets.Where(o => Enumerable.Range(0, shown).Any(h => AttentionOffsets.Strongest(profile, h, 1)[0].Offset == o)).ToArray();
        report.Text($"Mean attention weight a query at t puts on position t + o, over {sample.Count} test sequences. {covered.Length} of the task's {s.Offsets.Length} offsets are the strongest offset of some head of the {shown}-head model.");
        report.Number("offsets_covered_by_heads", covered.Length);

        Heatmap.Save(context.PathOf("single-head.png"), $"the {s.HeadCounts[0]}-head model, same sequence", TensorGrid.Of(one.Select(0, 0).Select(0, 0)),
            labels, labels, "key position:token", "query position:token");
        report.Image("single-head.png", "The single head on the same sequence: to serve all offsets it spreads its weight over several of them.");
    }

    private static string[] HeadRow(string model, int head, double[,] profile, int[] offsets)
    {
        int length = (profile.GetLength(1) + 1) / 2;
        var other = AttentionOffsets.Strongest(profile, head, offsets.Length + 1).First(p => !offsets.Contains(p.Offset));
        return [model, (head + 1).ToString(CultureInfo.InvariantCulture), .. offsets.Select(o => LabFormat.F(profile[head, o + length - 1], 2)),
            $"t{other.Offset.ToString("+0;−0;+0", CultureInfo.InvariantCulture)} ({LabFormat.F(other.Weight, 2)})"];
    }
}
