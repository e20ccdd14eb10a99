using System.Globalization;
using System.Text;
using Nabla.Cli.Commands;
using Nabla.Cli.Lab.Plots;
using Nabla.Cli.Sequence.Seq2Seq;
using Nabla.Models.Tasks;
using Nabla.Models.Translation;

namespace Nabla.Cli.Lab.Experiments.Attention;

/// <summary>attention: one head of self-attention on a six-word sentence, computed step by step by hand and checked against
/// the library; why the scores are divided by √d; and the attention of a trained date-translation Transformer.</summary>
internal sealed class AttentionExperiment : ILabExperiment
{
    /// <summary>The largest difference between the hand computation and the library that still counts as equal.</summary>
    private const double Tolerance = 1e-6;

    /// <inheritdoc/>
    public string Name => "attention";

    /// <inheritdoc/>
    public string Title => "Self-attention, step by step";

    /// <inheritdoc/>
    public string Claim => "Scaled dot-product attention is softmax(Q·Kᵀ/√d)·V: each position's output is the average of all value vectors, weighted by the softmax of its query's dot products with the keys divided by √d.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        var s = AttentionLabSettings.For(context);
        var sentence = ToySentence.Draw(ToySentence.DefaultWords, s.Width, context.Random(11));
        var labels = sentence.Words.Select((w, i) => $"{i}:{w}").ToArray();
        report.Setup($"The sentence \"{string.Join(' ', sentence.Words)}\", each word a random {s.Width}-number embedding (the same vector for both \"the\"), and the three {s.Width} × {s.Width} projections W_Q, W_K, W_V of one attention head, every entry a multiple of ¼ in [−1, 1] drawn with seed {context.Seed}: such numbers are exact in float32 and float64, so the hand computation and the library start from identical inputs.")
            .SetupList(
                "By hand: plain double loops in float64 (`HandAttention.cs`), every intermediate printed below.",
                "Library, functional: `Tensor.MatMul` for Q, K, V and `Functional.ScaledDotProductAttentionWithWeights` (the fused attention kernel), float64.",
                $"Library, layer: `MultiheadAttention(embed_dim {s.Width}, num_heads 1)` with in_proj_weight = [W_Qᵀ; W_Kᵀ; W_Vᵀ], zero biases and an identity out_proj, so its output is the head's output; float32, as layer parameters are.",
                $"The √d study: queries and {AttentionLabSettings.ScalingKeys} keys with independent N(0, 1) components, {s.ScalingSamples} queries per width d ∈ {{{string.Join(", ", s.ScalingWidths)}}}.");

        var hand = HandAttention.Compute(sentence);
        ShowSteps(context, report, sentence, hand, labels);
        var (functionalGap, moduleGap) = CompareWithLibrary(report, sentence, hand);
        ShowScaling(context, report, s);
        ShowTranslation(context, report, s);

        report.Section("Why");
        report.Text("Each word asks a question and offers an answer. Its query q_i = x_i·W_Q says what it looks for, its key k_j = x_j·W_K what it offers to be found by, its value v_j = x_j·W_V what it passes on. The score q_i·k_j measures how well word j matches word i's question; softmax turns the scores of row i into weights a_ij > 0 that sum to 1; and the output o_i = Σ_j a_ij·v_j is a weighted average of the values. All rows at once: O = softmax(Q·Kᵀ/√d)·V, two matrix products and a row-wise softmax, which is why attention is fast on parallel hardware. Nothing in it depends on where a word sits: a word that occurs twice gets two identical rows, which is why Transformers add a position code (see positional-encoding).");
        report.Text("The division by √d keeps the scores at unit scale: with independent unit-variance components, q·k is a sum of d products and has variance d. Unscaled, wider heads give larger score gaps, the softmax puts almost all weight on one key, and its Jacobian diag(a) − a·aᵀ, whose trace 1 − Σ a_j² is tabulated above, goes to zero, so the scores stop learning.");

        double gap = Math.Max(functionalGap, moduleGap);
        report.Number("max_difference", gap).Number("max_difference_functional", functionalGap).Number("max_difference_module", moduleGap);
        report.Text($"Verdict rule: **supported** if the hand computation and both library paths agree to {LabFormat.Sci(Tolerance)} in every entry (Q, K, V, weights, output); **not supported** if any entry differs by more than 1e-3 (a different formula, not rounding); otherwise **inconclusive**.");
        report.Conclude(VerdictText.From(gap <= Tolerance, gap > 1e-3),
            $"the hand computation of softmax(Q·Kᵀ/√d)·V matches ScaledDotProductAttention to {LabFormat.Sci(functionalGap)} (float64) and a one-head MultiheadAttention to {LabFormat.Sci(moduleGap)} (float32); tolerance {LabFormat.Sci(Tolerance)}");

        report.Change("`--seed S` draws other embeddings and projections (and another translation model).")
            .Change("Edit `ToySentence.DefaultWords` and the width in `AttentionLabSettings.cs` (src/Nabla.Cli/Lab/Experiments/Attention) for another sentence or head width.")
            .Change("`nabla train seq2seq --arch transformer` trains a larger translation model; `nabla lab run attention --quick` then shows its attention instead of training one.");
    }

    private static void ShowSteps(LabContext context, LabReport report, ToySentence sentence, HandAttention hand, string[] labels)
    {
        int d = sentence.Query.GetLength(0);
        var components = Enumerable.Range(1, d).Select(c => $"c{c}").ToArray();
        report.Section("Step 1: the inputs");
        report.Text("X holds one row per word. The projections are d × d matrices; a row vector times W_Q gives the query, and likewise for keys and values.");
        report.Table(Grid("X (embeddings)", labels, components, sentence.Embeddings, 2));
        report.Table(Grid("W_Q", components, components, sentence.Query, 2));
        report.Table(Grid("W_K", components, components, sentence.Key, 2));
        report.Table(Grid("W_V", components, components, sentence.Value, 2));

        report.Section("Step 2: queries, keys and values");
        report.Text("Q = X·W_Q, K = X·W_K, V = X·W_V, each entry a sum of d products.");
        report.Table(Grid("Q = X·W_Q", labels, components, hand.Q, 4));
        report.Table(Grid("K = X·W_K", labels, components, hand.K, 4));
        report.Table(Grid("V = X·W_V", labels, components, hand.V, 4));

        report.Section("Step 3: scores, then scaled scores");
        report.Text($"S = Q·Kᵀ: row i, column j is q_i · k_j, how well word j's key answers word i's query. Then every score is divided by √d = {LabFormat.G(Math.Sqrt(d))}.");
        report.Table(Grid("S = Q·Kᵀ (query ↓, key →)", labels, labels, hand.Scores, 4));
        report.Table(Grid("S / √d", labels, labels, hand.Scaled, 4));

        report.Section("Step 4: softmax, row by row");
        report.Text("a_ij = exp(s_ij/√d) / Σ_j′ exp(s_ij′/√d): each row becomes a probability distribution over the words.");
        var weights = Grid("A = softmax(S/√d) (query ↓, key →)", labels, labels, hand.Weights, 4, rowSums: true);
        report.Table(weights);
        Heatmap.Save(context.PathOf("weights.png"), $"attention weights of \"{string.Join(' ', sentence.Words)}\"", hand.Weights, labels, labels,
            "key (word attended to)", "query (word attending)", annotate: true);
        report.Image("weights.png", "The weights A: row i is how word i spreads its attention over the sentence (rows sum to 1).");

        report.Section("Step 5: the output");
        report.Text("O = A·V: word i's output is the weighted average Σ_j a_ij·v_j of all value vectors.");
        report.Table(Grid("O = A·V", labels, components, hand.Output, 4));
        report.Code(WorkedRow(sentence, hand, labels, 1));
        var words = sentence.Words;
        var twice = Enumerable.Range(0, words.Length).SelectMany(a => Enumerable.Range(a + 1, words.Length - a - 1).Where(b => words[a] == words[b]).Select(b => (A: a, B: b))).ToList();
        if (twice.Count > 0)
        {
            var (a, b) = twice[0];
            double sameRows = Enumerable.Range(0, words.Length).Max(j => Math.Abs(hand.Weights[a, j] - hand.Weights[b, j]));
            report.Text($"The two \"{words[a]}\" rows ({a} and {b}) of A differ by at most {LabFormat.G(sameRows)}{(sameRows == 0 ? " (they are identical)" : "")}: the same word gets the same query wherever it stands, so attention alone cannot tell them apart.");
        }
    }

    /// <summary>One query's row written out: its dot products, the scaling, the softmax and the weighted sum.</summary>
    private static string WorkedRow(ToySentence sentence, HandAttention hand, string[] labels, int i)
    {
        int length = labels.Length, d = sentence.Query.GetLength(1);
        var text = new StringBuilder();
        string Vector(double[,] m, int row) => "[" + string.Join(", ", Enumerable.Range(0, m.GetLength(1)).Select(c => LabFormat.F(m[row, c], 4))) + "]";
        text.Append(CultureInfo.InvariantCulture, $"Worked row: the query of {labels[i]}, q = {Vector(hand.Q, i)}\n\n");
        for (int j = 0; j < length; j++)
        {
            var products = string.Join(" + ", Enumerable.Range(0, d).Select(c => $"({Exact(hand.Q[i, c])})({Exact(hand.K[j, c])})"));
            text.Append(CultureInfo.InvariantCulture, $"q·k[{labels[j]}] = {products} = {LabFormat.F(hand.Scores[i, j], 4)};  / √{d} = {LabFormat.F(hand.Scaled[i, j], 4)}\n");
        }
        double max = Enumerable.Range(0, length).Max(j => hand.Scaled[i, j]);
        var exps = Enumerable.Range(0, length).Select(j => Math.Exp(hand.Scaled[i, j] - max)).ToArray();
        text.Append(CultureInfo.InvariantCulture, $"\nsoftmax: m = max = {LabFormat.F(max, 4)};  exp(s − m) = [{string.Join(", ", exps.Select(e => LabFormat.F(e, 4)))}];  sum = {LabFormat.F(exps.Sum(), 4)}\n");
        text.Append(CultureInfo.InvariantCulture, $"a = exp(s − m) / sum = [{string.Join(", ", Enumerable.Range(0, length).Select(j => LabFormat.F(hand.Weights[i, j], 4)))}]\n\n");
        text.Append(CultureInfo.InvariantCulture, $"o = {string.Join(" + ", Enumerable.Range(0, length).Select(j => $"{LabFormat.F(hand.Weights[i, j], 3)}·v[{labels[j]}]"))}\n  = {Vector(hand.Output, i)}");
        return text.ToString();
    }

    private static (double Functional, double Module) CompareWithLibrary(LabReport report, ToySentence sentence, HandAttention hand)
    {
        var functional = LibraryAttention.ThroughFunctional(sentence);
        var module = LibraryAttention.ThroughModule(sentence);
        // ThroughFunctional always exposes Q, K and V.
        double fq = HandAttention.MaxDifference(hand.Q, functional.Q!), fk = HandAttention.MaxDifference(hand.K, functional.K!), fv = HandAttention.MaxDifference(hand.V, functional.V!);
        double fw = HandAttention.MaxDifference(hand.Weights, functional.Weights), fo = HandAttention.MaxDifference(hand.Output, functional.Output);
        double mw = HandAttention.MaxDifference(hand.Weights, module.Weights), mo = HandAttention.MaxDifference(hand.Output, module.Output);
        double rowSums = Enumerable.Range(0, hand.Weights.GetLength(0))
            .Max(i => Math.Abs(Enumerable.Range(0, hand.Weights.GetLength(1)).Sum(j => functional.Weights[i, j]) - 1));

        report.Section("The library computes the same");
        report.Table(new LabTable("quantity", "max |hand − ScaledDotProductAttention| (float64)", "max |hand − MultiheadAttention, 1 head| (float32)")
            .Row("Q, K, V", LabFormat.Sci(Math.Max(fq, Math.Max(fk, fv))), "(inside the layer)")
            .Row("weights A", LabFormat.Sci(fw), LabFormat.Sci(mw))
            .Row("output O", LabFormat.Sci(fo), LabFormat.Sci(mo)));
        report.Text($"The float64 path agrees to rounding in the last bits; the layer works in float32, whose precision is about 6e-8 relative, so a few roundings leave differences of order 1e-7. The library's rows of A sum to 1 within {LabFormat.Sci(rowSums)}.");
        return (Math.Max(Math.Max(fq, Math.Max(fk, fv)), Math.Max(fw, fo)), Math.Max(mw, mo));
    }

    private static void ShowScaling(LabContext context, LabReport report, AttentionLabSettings s)
    {
        var points = ScalingStudy.Measure(s.ScalingWidths, AttentionLabSettings.ScalingKeys, s.ScalingSamples, context.Random(12));
        report.Section("Why divide by √d");
        var table = new LabTable("d", "std of q·k (theory √d)", "std of q·k/√d", "largest weight, unscaled", "largest weight, scaled", "1 − Σa², unscaled", "1 − Σa², scaled");
        foreach (var p in points)
            table.Row(p.Width.ToString(CultureInfo.InvariantCulture), $"{LabFormat.F(p.RawStd, 2)} ({LabFormat.F(Math.Sqrt(p.Width), 2)})", LabFormat.F(p.ScaledStd, 3),
                LabFormat.F(p.LargestUnscaled, 3), LabFormat.F(p.LargestScaled, 3), LabFormat.F(p.GradientUnscaled, 3), LabFormat.F(p.GradientScaled, 3));
        report.Table(table);
        double[] widths = [.. points.Select(p => (double)p.Width)];
        Chart.Save(context.PathOf("scaling.png"), $"softmax over {AttentionLabSettings.ScalingKeys} keys of random unit-variance queries and keys", "head width d", "mean largest attention weight",
        [
            new Chart.Series("softmax(q·k)", widths, [.. points.Select(p => p.LargestUnscaled)], Markers: true),
            new Chart.Series("softmax(q·k / √d)", widths, [.. points.Select(p => p.LargestScaled)], Markers: true),
        ], logX: true, yLimits: (0, 1.02));
        report.Image("scaling.png", "Without the 1/√d the weights collapse onto one key as d grows; with it they stay spread the same way at every width.");
        var last = points[^1];
        report.Number("largest_weight_unscaled_widest", last.LargestUnscaled).Number("largest_weight_scaled_widest", last.LargestScaled);
    }

    private static void ShowTranslation(LabContext context, LabReport report, AttentionLabSettings s)
    {
        var batches = new DateBatches();
        var translator = DateTranslator.Obtain(context, s, batches);
        if (translator.ReusedFrom is { } reused) report.Reuse(reused);
        var test = DateTranslation.Sample(s.TestDates, test: true, context.Random(22));
        double exact = TrainSeq2SeqCommand.ExactMatch(translator.Model, batches, test, beam: 1);
        report.Number("translation_exact_match", exact);

        report.Section("Attention in a trained translation model");
        report.Text($"The model: {translator.Description}. It translates dates written in {DateTranslation.Formats.Count} styles into ISO form; greedy decoding gets **{LabFormat.Percent(exact, 1)}** of {test.Length} held-out dates exactly right{(translator.ReusedFrom is null ? $" after {LabFormat.Seconds(translator.Seconds)} of training" : "")}. The heatmaps show, for each output character, the weights of the attention from the decoder to the source characters: {(translator.Model is TransformerSeq2Seq
            ? "the last decoder layer's encoder-decoder attention, averaged over heads: the same softmax(Q·Kᵀ/√d)·V as above, with queries from the output written so far and keys and values from the encoded source"
            : "this model's additive attention, whose scores are vᵀ·tanh(W_q·s + W_k·h_j) instead of a scaled dot product, followed by the same softmax and weighted average")}.");
        var named = test.FirstOrDefault(e => e.Source.Any(char.IsLetter)) ?? test[0];
        var numeric = test.FirstOrDefault(e => e.Source.Contains('/', StringComparison.Ordinal)) ?? test[^1];
        foreach (var (example, file, style) in new[] { (named, "translation-words.png", "a date with words"), (numeric, "translation-digits.png", "the same model on an all-digit style") })
        {
            TrainSeq2SeqCommand.SaveAttention(translator.Model, batches, example, context.PathOf(file), "");
            string output = Translate(translator.Model, batches, example);
            report.Image(file, $"{char.ToUpperInvariant(style[0])}{style[1..]}: \"{example.Source}\" → {output} ({(output == example.Target ? "right" : $"wrong; expected {example.Target}")}). Row: the output character being written; column: the source character it attends to.");
        }
    }

    /// <summary>The model's greedy translation of one example.</summary>
    private static string Translate(Seq2SeqModel model, DateBatches batches, DateTranslation.Example example)
    {
        model.Eval();
        try
        {
            var (source, lengths, _, _) = batches.Make([example]);
            return batches.Target.Decode(Decoding.Greedy(model, source, lengths, DateBatches.TargetSteps)[0]);
        }
        finally { model.Train(); }
    }

    // Multiples of 1/2⁸ in full: "-0.625", "0.1875".
    private static string Exact(double value) => value.ToString("0.########", CultureInfo.InvariantCulture);

    /// <summary>A matrix as a table with a header column of <paramref name="rowLabels"/>, optionally with each row's sum.</summary>
    private static LabTable Grid(string corner, string[] rowLabels, string[] columnLabels, double[,] values, int digits, bool rowSums = false)
    {
        var table = new LabTable(rowSums ? [corner, .. columnLabels, "row sum"] : [corner, .. columnLabels]);
        for (int i = 0; i < rowLabels.Length; i++)
        {
            var cells = new List<string> { rowLabels[i] };
            double sum = 0;
            for (int j = 0; j < columnLabels.Length; j++)
            {
                cells.Add(LabFormat.F(values[i, j], digits));
                sum += values[i, j];
            }
            if (rowSums) cells.Add(LabFormat.F(sum, digits));
            table.Row([.. cells]);
        }
        return table;
    }
}
