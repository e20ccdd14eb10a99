using System.Globalization;
using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Plots;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.PositionalEncoding;

/// <summary>positional-encoding: the sinusoidal code and the similarity of its positions, then the same Transformer
/// trained to reverse sequences with no position code, the sinusoidal one and a learned one.</summary>
internal sealed class PositionalEncodingExperiment : ILabExperiment
{
    private static readonly PositionCode[] Variants = [PositionCode.None, PositionCode.Sinusoidal, PositionCode.Learned];

    /// <summary>The margin (fraction of tokens) by which the sinusoidal code must beat no code.</summary>
    private const double Margin = 0.30;

    private static readonly int[] ShownOffsets = [0, 1, 2, 3, 4, 8, 16];

    /// <inheritdoc/>
    public string Name => "positional-encoding";

    /// <inheritdoc/>
    public string Title => "Positional encoding: attention needs to be told where tokens are";

    /// <inheritdoc/>
    public string Claim => "Self-attention by itself ignores word order (it is permutation-equivariant), so a Transformer needs a positional encoding to solve an order-sensitive task such as reversing a sequence.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        var s = PositionalSettings.For(context);
        report.Setup($"Task, **reversal**: sequences of {s.Length} tokens drawn uniformly from {s.Vocabulary} symbols; at every position t the model outputs the token at position {s.Length - 1} − t. Accuracy is measured per token and per sequence (all {s.Length} right) on {s.TestCount} held-out sequences; chance is {LabFormat.Percent(1.0 / s.Vocabulary, 0)} per token.")
            .SetupList(
                $"Model: token embedding (scaled by √d) + position code, {new TaggerConfig(s.Vocabulary, s.Vocabulary, 1, s.Length, s.DModel, s.Heads, s.Layers, s.FeedForward, PositionCode.None).Describe().Replace(", no position code", "", StringComparison.Ordinal)}, no dropout, final layer norm, a linear head to {s.Vocabulary} logits per position.",
                "Position codes compared: **none** (the encoder sees only the tokens), **sinusoidal** (fixed, `SinusoidalPositionalEncoding`), **learned** (a trained vector per position, `LearnedPositionalEncoding`); everything else identical, including the initialization of the shared parts and the data.",
                $"Training: {s.Steps} steps of Adam (peak learning rate {LabFormat.G(s.LearningRate)}, warm-up then cosine decay, gradient norm clipped at 1), {s.BatchSize} fresh random sequences per step, seed {context.Seed}.");

        ShowCode(context, report, s);

        var test = ReversalTask.Sample(s.TestCount, s.Length, s.Vocabulary, context.Random(1));
        var models = new Dictionary<PositionCode, TokenTagger>();
        var histories = new Dictionary<PositionCode, TaggerTrainer.History>();
        foreach (var code in Variants)
        {
            context.Say($"{TaggerConfig.PositionText(code)}: training {s.Steps} steps");
            var config = new TaggerConfig(s.Vocabulary, s.Vocabulary, 1, s.Length, s.DModel, s.Heads, s.Layers, s.FeedForward, code);
            var model = new TokenTagger(config, context.Random(100));
            histories[code] = TaggerTrainer.Train(model, (n, g) => ReversalTask.Sample(n, s.Length, s.Vocabulary, g), test,
                new TaggerTrainer.Settings(s.Steps, s.BatchSize, s.LearningRate, s.EvaluateEvery), context.Random(1000));
            models[code] = model;
            context.Say($"{TaggerConfig.PositionText(code)}: {LabFormat.Percent(histories[code].Final.Token, 1)} per token in {LabFormat.Seconds(histories[code].Seconds)}");
        }
        double ceiling = ReversalTask.EquivariantCeiling(test, s.Vocabulary);
        var probe = test.Head(256);
        var deviation = Variants.ToDictionary(c => c, c => Equivariance.MaxDeviation(models[c], probe.Tokens, context.Random(7)));

        report.Section("Reversing sequences with and without a position code");
        var table = new LabTable("position code", "accuracy per token", "sequences all right", "max |f(x_π) − f(x)_π|", "training time");
        foreach (var code in Variants)
        {
            var h = histories[code];
            table.Row(code.ToString().ToLowerInvariant(), LabFormat.Percent(h.Final.Token, 1), LabFormat.Percent(h.Final.Sequence, 1), LabFormat.G(deviation[code]), LabFormat.Seconds(h.Seconds));
            string key = code.ToString().ToLowerInvariant();
            report.Number($"accuracy_{key}", h.Final.Token).Number($"sequence_accuracy_{key}", h.Final.Sequence).Number($"equivariance_deviation_{key}", deviation[code]);
        }
        report.Table(table);
        report.Number("equivariant_ceiling", ceiling);
        report.Text($"The last column shuffles the positions of {probe.Count} test sequences with one random permutation π and compares the model's output logits with its unshuffled output shuffled the same way: without a position code they agree to float32 rounding, so that model cannot tell positions apart. The best accuracy any such permutation-equivariant model can reach on this test set is **{LabFormat.Percent(ceiling, 1)}** per token: its output at t can depend only on token t and the bag of all tokens, and the token at {s.Length - 1} − t is then equally likely to be any of the other {s.Length - 1}, so the best it can do is guess the most frequent of them. The ceiling is an expected value; a model that reaches it scores within sampling noise of it on a finite test set (one standard error here: {LabFormat.F(100 * AccuracyStatistics.StandardError(ceiling, test.Count * s.Length), 1)} points).");
        Chart.Save(context.PathOf("reversal-accuracy.png"), $"reversing {s.Length} tokens: test accuracy per token", "step", "test accuracy per token (%)",
        [
            .. Variants.Select(c => new Chart.Series(TaggerConfig.PositionText(c), [.. histories[c].Curve.Select(p => (double)p.Step)],
                [.. histories[c].Curve.Select(p => 100 * p.Score.Token)], Markers: true)),
            new Chart.Series("best any model without positions can do", [histories[PositionCode.None].Curve[0].Step, s.Steps], [100 * ceiling, 100 * ceiling]),
        ], yLimits: (0, 102));
        report.Image("reversal-accuracy.png", "Test accuracy per token during training; the flat line is the ceiling of a permutation-equivariant model.");

        ShowAttention(context, report, s, models, probe);

        double withCode = histories[PositionCode.Sinusoidal].Final.Token, without = histories[PositionCode.None].Final.Token;
        double gap = withCode - without;
        double chance = 1.0 / s.Vocabulary, learned = chance + (1 - chance) / 2;
        report.Number("sinusoidal_gain", gap);
        report.Section("Why");
        report.Text("Self-attention computes out_t = Σ_j softmax_j(q_t · k_j / √d) · v_j with q, k, v linear in the input vector of each position; the feed-forward network, the layer norms and the residual connections act on each position separately with the same weights. Nothing in these formulas refers to the index t: permute the input vectors and every q, k and v is permuted alike, the set of scores of each query is the same, and the outputs come out permuted the same way. A Transformer without a position code is therefore a function of a bag of tokens, and reversing, which sends the token at t to T − 1 − t, is impossible for it beyond guessing from the bag.");
        report.Text("Adding a vector that depends on the position breaks the symmetry. The sinusoidal code gives position p the components sin(p·ω_i) and cos(p·ω_i), ω_i = 10000^(−2i/d): the dot product of two positions is Σ_i cos((p − p′)·ω_i), a function of the offset alone (measured above). Linear maps of the code can move positions: rotating each (sin, cos) pair by k·ω_i turns the code of p into that of p + k, and flipping the sign of each sin turns it into the code of −p. So W_Q and W_K can make the query of position t match the key of position T − 1 − t, a reflection followed by a shift, the anti-diagonal in the attention maps above. A learned table can find such vectors by gradient descent, but only for the positions seen in training.");
        report.Text($"Verdict rule: **supported** if, with the sinusoidal code, accuracy per token exceeds that without a position code by at least {LabFormat.Percent(Margin, 0)} of the tokens; **not supported** if the sinusoidal model learns the task (≥ {LabFormat.Percent(learned, 0)} per token, halfway from chance to perfect) yet beats no code by less than 5 points; otherwise **inconclusive**.");
        var verdict = VerdictText.From(gap >= Margin, withCode >= learned && gap < 0.05);
        report.Conclude(verdict, $"sinusoidal code {LabFormat.Percent(withCode, 1)} per token ({LabFormat.Percent(histories[PositionCode.Sinusoidal].Final.Sequence, 1)} of sequences), no code {LabFormat.Percent(without, 1)} (ceiling without positions {LabFormat.Percent(ceiling, 1)}): a gain of {LabFormat.F(100 * gap, 1)} points (needed {LabFormat.F(100 * Margin, 0)})");

        report.Change("`--seed S` draws other initializations and data.")
            .Change("Edit `PositionalSettings.cs` (src/Nabla.Cli/Lab/Experiments/PositionalEncoding) for the length, vocabulary, width, layers and steps; an odd length gives the middle token itself as its label, which a model without positions gets right.")
            .Change("`PositionCode` (src/Nabla.Cli/Lab/Common) picks the codes compared; rotary embeddings (`RotaryPositionalEmbedding`) are not among them, as they rotate queries and keys inside attention and would need their own attention layer in `TokenTagger`.");
    }

    /// <summary>The sinusoidal table as a heatmap, and the dot products of its positions.</summary>
    private static void ShowCode(LabContext context, LabReport report, PositionalSettings s)
    {
        int p = s.TablePositions, d = s.DModel;
        var table = SinusoidalPositionalEncoding.Table(p, d, DType.Float64);   // [P, d]
        var code = TensorGrid.Of(table);
        var similarity = TensorGrid.Of(table.MatMul(table.T));   // [P, P]: PE_i · PE_j
        string[] Every8(int n) => [.. Enumerable.Range(0, n).Select(i => i % 8 == 0 ? i.ToString(CultureInfo.InvariantCulture) : "")];

        report.Section("The sinusoidal code");
        Heatmap.Save(context.PathOf("sinusoidal-code.png"), $"sinusoidal position code, d = {d}", code, Every8(p), Every8(d), "component i (even: sin, odd: cos)", "position p", diverging: true);
        report.Image("sinusoidal-code.png", $"PE[p, 2i] = sin(p·ω_i), PE[p, 2i+1] = cos(p·ω_i), ω_i = 10000^(−2i/{d}): the first components turn fast with p, the last ones slowly, like the digits of a counter.");
        Heatmap.Save(context.PathOf("position-similarity.png"), "dot products of position codes PE_p · PE_q", similarity, Every8(p), Every8(p), "position q", "position p");
        report.Image("position-similarity.png", "PE_p · PE_q for every pair of positions: a band along the diagonal, the same along every diagonal (it depends only on p − q).");

        double shiftError = 0;
        for (int i = 0; i + 1 < p; i++)
            for (int j = 0; j + 1 < p; j++) shiftError = Math.Max(shiftError, Math.Abs(similarity[i + 1, j + 1] - similarity[i, j]));
        int middle = p / 2;
        var offsets = ShownOffsets.Where(k => middle + k < p).ToArray();
        var byOffset = new LabTable("offset k", $"PE_0 · PE_k", $"PE_{middle} · PE_{middle}+k", "Σ_i cos(k·ω_i)", "cosine similarity");
        foreach (int k in offsets)
        {
            double formula = 0;
            for (int i = 0; i < d / 2; i++) formula += Math.Cos(k * Math.Exp(-2 * i * Math.Log(10000.0) / d));
            byOffset.Row(k.ToString(CultureInfo.InvariantCulture), LabFormat.F(similarity[0, k]), LabFormat.F(similarity[middle, middle + k]), LabFormat.F(formula), LabFormat.F(similarity[0, k] / similarity[0, 0]));
        }
        report.Table(byOffset);
        report.Text($"Every code has the same length, PE_p · PE_p = d/2 = {LabFormat.F(similarity[0, 0], 1)} (each sin² + cos² pair adds 1), and the dot product of two codes is Σ_i cos((p − q)·ω_i): measured over all pairs, shifting both positions by one changes it by at most {LabFormat.Sci(shiftError)}. Nearby positions look alike and far ones less so, which is what lets attention express \"the token k places away\".");
        report.Number("shift_invariance_error", shiftError);
    }

    /// <summary>The head-averaged attention of each layer, with and without a position code, and the weight on the reversal
    /// partner T − 1 − t.</summary>
    private static void ShowAttention(LabContext context, LabReport report, PositionalSettings s, Dictionary<PositionCode, TokenTagger> models, TaggedBatch probe)
    {
        var panels = new List<HeatmapPanels.Panel>();
        var partner = new LabTable("position code", "layer", "mean weight on position T − 1 − t", "largest weight on one key");
        foreach (var code in new[] { PositionCode.Sinusoidal, PositionCode.None })
        {
            var maps = models[code].AttentionMaps(probe.Tokens);
            for (int layer = 0; layer < maps.Count; layer++)
            {
                var mean = TensorGrid.Of(maps[layer].Mean([0, 1]));   // [T, T], over sequences and heads
                double onPartner = Enumerable.Range(0, s.Length).Average(t => mean[t, s.Length - 1 - t]);
                double largest = mean.Cast<double>().Max();
                partner.Row(code.ToString().ToLowerInvariant(), (layer + 1).ToString(CultureInfo.InvariantCulture), LabFormat.F(onPartner), LabFormat.F(largest));
                panels.Add(new HeatmapPanels.Panel($"{TaggerConfig.PositionText(code)}, layer {layer + 1}", mean));
                report.Number($"partner_weight_{code.ToString().ToLowerInvariant()}_layer{layer + 1}", onPartner);
            }
        }
        var labels = Enumerable.Range(0, s.Length).Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray();
        double max = panels.Max(p => p.Values.Cast<double>().Max());
        HeatmapPanels.Save(context.PathOf("attention.png"), panels, labels, labels, "key position", "query position", 0, max, columns: s.Layers, panelWidth: 480, panelHeight: 420);
        report.Section("Where the trained models attend");
        report.Image("attention.png", $"Attention weights averaged over heads and {probe.Count} test sequences, one panel per layer; top: sinusoidal code, bottom: none. With positions a layer can look at the reversal partner T − 1 − t (the anti-diagonal); without them, averaged over sequences, attention is the same for every position.");
        report.Table(partner);
    }
}
