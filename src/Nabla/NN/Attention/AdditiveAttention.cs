using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Additive (Bahdanau) attention: score(q, k) = vᵀ·tanh(W_q·q + W_k·k + b), weights = softmax over the keys,
/// context = Σ_j weight_j · value_j.</summary>
/// <remarks>
/// <para>Made for RNN encoder-decoders: the decoder's state q [B, Hq] attends over the encoder outputs [B, S, Hk]
/// (values default to the keys) and gets a context [B, Hv] and weights [B, S]. A query [B, L, Hq] (all steps at
/// once, teacher forcing) gives [B, L, Hv] and [B, L, S]. The key projection does not depend on the query, so a
/// decoder computes it once per sequence with <see cref="ProjectKeys"/> and passes it to every step.</para>
/// <para>Parameters: <c>query_proj.weight</c> [A, Hq] (no bias), <c>key_proj.weight</c> [A, Hk] and, with bias,
/// <c>key_proj.bias</c> [A] (the b above), and <c>v</c> [A], all drawn as Linear's defaults. Keys marked in the
/// key padding mask (bool [B, S], true = padding) get zero weight; a row with every key padded gets all-zero
/// weights and a zero context. Bahdanau, Cho and Bengio, "Neural Machine Translation by Jointly Learning to Align
/// and Translate", 2015.</para>
/// </remarks>
public sealed class AdditiveAttention : Module
{
    /// <summary>W_q: Hq → A (<c>query_proj</c>).</summary>
    public Linear QueryProj { get; }
    /// <summary>W_k and b: Hk → A (<c>key_proj</c>).</summary>
    public Linear KeyProj { get; }
    /// <summary>v [A] (<c>v</c>).</summary>
    public Parameter V { get; }
    /// <summary>A, the width of the hidden scoring layer.</summary>
    public int HiddenDim { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="queryDim">Hq, the query (decoder state) size.</param>
    /// <param name="keyDim">Hk, the key (encoder output) size.</param>
    /// <param name="hiddenDim">A, the scoring layer's width.</param>
    /// <param name="bias">Whether the scoring layer has the bias b.</param>
    /// <param name="generator">Random source for the initialization.</param>
    public AdditiveAttention(int queryDim, int keyDim, int hiddenDim, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenDim, 1);
        HiddenDim = hiddenDim;
        QueryProj = RegisterModule("query_proj", new Linear(queryDim, hiddenDim, bias: false, generator));
        KeyProj = RegisterModule("key_proj", new Linear(keyDim, hiddenDim, bias, generator));
        V = RegisterParameter("v", Tensor.Empty([hiddenDim]));
        double bound = 1 / Math.Sqrt(hiddenDim);
        Init.Uniform(V, -bound, bound, generator);
    }

    /// <summary>W_k·k + b for every key, [B, S, A]: compute once per sequence and pass to <see cref="Forward"/>.</summary>
    public Tensor ProjectKeys(Tensor keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Dim != 3 || keys.Shape[2] != KeyProj.InFeatures)
            Throw.Shape(Describe(), $"[B, S, {KeyProj.InFeatures}]", ShapeUtil.Format(keys.ShapeSpan),
                $"{Describe()}: keys must be [B, S, {KeyProj.InFeatures}]; got {ShapeUtil.Format(keys.ShapeSpan)}.");
        return KeyProj.Call(keys);
    }

    /// <summary>Attends from <paramref name="query"/> over the keys.</summary>
    /// <param name="query">[B, Hq] (one decoder step) or [B, L, Hq].</param>
    /// <param name="keys">[B, S, Hk], e.g. the encoder outputs.</param>
    /// <param name="values">[B, S, Hv], or null to use the keys.</param>
    /// <param name="keyPaddingMask">Bool [B, S], true = padding; or null.</param>
    /// <param name="projectedKeys">The result of <see cref="ProjectKeys"/> for these keys, or null to compute it.</param>
    /// <returns>The context [B, Hv] ([B, L, Hv]) and the weights [B, S] ([B, L, S]).</returns>
    public AttentionResult Forward(Tensor query, Tensor keys, Tensor? values = null, Tensor? keyPaddingMask = null, Tensor? projectedKeys = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(keys);
        values ??= keys;
        var pk = projectedKeys ?? ProjectKeys(keys);   // [B, S, A]
        int b = keys.Shape[0], s = keys.Shape[1];
        bool steps = query.Dim == 3;
        if (query.Dim is not (2 or 3) || query.Shape[0] != b || query.Shape[^1] != QueryProj.InFeatures)
            Throw.Shape(Describe(), $"[{b}, {QueryProj.InFeatures}] or [{b}, L, {QueryProj.InFeatures}]", ShapeUtil.Format(query.ShapeSpan),
                $"{Describe()}: query must be [B, Hq] or [B, L, Hq] with B = {b} (from keys {ShapeUtil.Format(keys.ShapeSpan)}) and Hq = {QueryProj.InFeatures}; got {ShapeUtil.Format(query.ShapeSpan)}.");
        if (values.Dim != 3 || values.Shape[0] != b || values.Shape[1] != s)
            Throw.Shape(Describe(), $"[{b}, {s}, Hv]", ShapeUtil.Format(values.ShapeSpan),
                $"{Describe()}: values must be [B, S, Hv] = [{b}, {s}, Hv] like the keys {ShapeUtil.Format(keys.ShapeSpan)}; got {ShapeUtil.Format(values.ShapeSpan)}.");
        if (!ShapeUtil.SameShape(pk.ShapeSpan, [b, s, HiddenDim]))
            Throw.Shape(Describe(), $"[{b}, {s}, {HiddenDim}]", ShapeUtil.Format(pk.ShapeSpan),
                $"{Describe()}: projected keys must be [B, S, A] = [{b}, {s}, {HiddenDim}]; got {ShapeUtil.Format(pk.ShapeSpan)}.");

        var pq = QueryProj.Call(query);                                           // [B, A] or [B, L, A]
        var hidden = steps ? pq.Unsqueeze(2).Add(pk.Unsqueeze(1)) : pq.Unsqueeze(1).Add(pk);   // [B, L, S, A] or [B, S, A]
        var scores = hidden.Tanh().MatMul(V);                                     // [B, L, S] or [B, S]
        if (keyPaddingMask is not null)
        {
            if (keyPaddingMask.DType != DType.Bool || !ShapeUtil.SameShape(keyPaddingMask.ShapeSpan, [b, s]))
                Throw.Shape(Describe(), $"bool [{b}, {s}]", $"{keyPaddingMask.DType.TorchName()} {ShapeUtil.Format(keyPaddingMask.ShapeSpan)}",
                    $"{Describe()}: key_padding_mask must be bool [B, S] = [{b}, {s}] (true = padding); got {keyPaddingMask.DType.TorchName()} {ShapeUtil.Format(keyPaddingMask.ShapeSpan)}.");
            var mask = AttentionMasks.BoolToAdditive(keyPaddingMask, blockedWhen: true, scores.DType);
            scores = scores.Add(steps ? mask.Unsqueeze(1) : mask);
        }
        var weights = AttentionMasks.SafeSoftmax(scores);
        var context = steps ? weights.MatMul(values) : weights.Unsqueeze(1).MatMul(values).Squeeze(1);
        return new AttentionResult(context, weights);
    }

    /// <inheritdoc/>
    public override string Describe() => $"AdditiveAttention(query_dim={QueryProj.InFeatures}, key_dim={KeyProj.InFeatures}, hidden_dim={HiddenDim})";
}
