using Nabla.Data.Text;
using Nabla.Tensors;

namespace Nabla.Models.Translation;

/// <summary>Greedy and beam-search decoding for any <see cref="Seq2SeqModel"/>, batched over examples.</summary>
public static class Decoding
{
    /// <summary>The most likely token at each step, until &lt;eos&gt; or <paramref name="maxLength"/> tokens; returns each
    /// example's tokens without &lt;bos&gt; and &lt;eos&gt;, and, when asked, the attention [steps, S] of each.</summary>
    public static long[][] Greedy(Seq2SeqModel model, Tensor source, int[] sourceLengths, int maxLength, List<Tensor>? attention = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = Tensor.NoGrad();
        var state = model.Encode(source, sourceLengths);
        int batch = state.Rows;
        var outputs = Enumerable.Range(0, batch).Select(_ => new List<long>()).ToArray();
        var done = new bool[batch];
        var tokens = Tensor.Full([batch], SpecialTokens.BosId, DType.Int64);
        for (int step = 0; step < maxLength && !done.All(d => d); step++)
        {
            var next = model.Step(state, tokens).ArgMax(1);
            if (attention is not null && state.LastAttention is { } a) attention.Add(a);
            var ids = next.ToArray<long>();
            for (int b = 0; b < batch; b++)
            {
                if (done[b]) continue;
                if (ids[b] == SpecialTokens.EosId) done[b] = true;
                else outputs[b].Add(ids[b]);
            }
            tokens = next;
        }
        return [.. outputs.Select(o => o.ToArray())];
    }

    /// <summary>Beam search: keeps the <paramref name="beamSize"/> most probable prefixes per example; a hypothesis ends at
    /// &lt;eos&gt; and is scored by its log-probability divided by length^<paramref name="lengthPenalty"/> (0: raw sum,
    /// 1: per-token mean, as in GNMT's α); returns each example's best hypothesis without &lt;bos&gt; and &lt;eos&gt;.</summary>
    public static long[][] Beam(Seq2SeqModel model, Tensor source, int[] sourceLengths, int maxLength, int beamSize = 4, double lengthPenalty = 1.0)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (beamSize < 1) throw new ArgumentOutOfRangeException(nameof(beamSize), $"Decoding.Beam: beam size must be ≥ 1; got {beamSize}.");
        using var _ = Tensor.NoGrad();
        var encoded = model.Encode(source, sourceLengths);
        int batch = encoded.Rows, k = beamSize, rows = batch * k;
        // Every example starts as k copies of its encoding; only the first copy is live, so step one expands one prefix.
        var state = encoded.Select(Tensor.FromArray<long>([.. Enumerable.Range(0, rows).Select(r => (long)(r / k))], [rows]));
        var scores = new double[rows];
        for (int r = 0; r < rows; r++) scores[r] = r % k == 0 ? 0 : double.NegativeInfinity;
        var prefixes = Enumerable.Range(0, rows).Select(_ => new List<long>()).ToArray();
        var best = new (double Score, long[]? Tokens)[batch];
        for (int b = 0; b < batch; b++) best[b] = (double.NegativeInfinity, null);
        var tokens = Tensor.Full([rows], SpecialTokens.BosId, DType.Int64);

        for (int step = 0; step < maxLength; step++)
        {
            var logProbs = model.Step(state, tokens).LogSoftmax(1).To(DType.Float64).ToArray<double>();
            int v = logProbs.Length / rows;
            var origin = new long[rows];
            var chosen = new long[rows];
            var newScores = new double[rows];
            var newPrefixes = new List<long>[rows];
            for (int b = 0; b < batch; b++)
            {
                // The k best (score, beam, token) continuations of this example's live beams.
                var candidates = new List<(double Score, int Beam, int Token)>(k * v);
                for (int beam = 0; beam < k; beam++)
                {
                    int r = b * k + beam;
                    if (double.IsNegativeInfinity(scores[r])) continue;
                    for (int t = 0; t < v; t++) candidates.Add((scores[r] + logProbs[r * v + t], beam, t));
                }
                candidates.Sort((x, y) => y.Score.CompareTo(x.Score));
                int filled = 0;
                foreach (var (score, beam, token) in candidates)
                {
                    if (filled == k) break;
                    var prefix = prefixes[b * k + beam];
                    if (token == SpecialTokens.EosId || step == maxLength - 1)
                    {
                        // A finished hypothesis: keep it if it beats the best so far; its beam slot goes to the next candidate.
                        var finished = token == SpecialTokens.EosId ? prefix : [.. prefix, token];
                        double normalized = score / Math.Pow(Math.Max(1, finished.Count + 1), lengthPenalty);
                        if (normalized > best[b].Score) best[b] = (normalized, [.. finished]);
                        continue;
                    }
                    int slot = b * k + filled++;
                    origin[slot] = b * k + beam;
                    chosen[slot] = token;
                    newScores[slot] = score;
                    newPrefixes[slot] = [.. prefix, token];
                }
                for (; filled < k; filled++)
                {
                    int slot = b * k + filled;
                    (origin[slot], chosen[slot], newScores[slot], newPrefixes[slot]) = (b * k, SpecialTokens.PadId, double.NegativeInfinity, []);
                }
            }
            if (newScores.All(double.IsNegativeInfinity)) break;
            state = state.Select(Tensor.FromArray<long>(origin, [rows]));
            tokens = Tensor.FromArray<long>(chosen, [rows]);
            scores = newScores;
            prefixes = newPrefixes;
        }
        return [.. best.Select(h => h.Tokens ?? [])];
    }
}
