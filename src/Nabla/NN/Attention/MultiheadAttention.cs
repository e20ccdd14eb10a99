using Nabla.Autograd;
using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Multi-head attention (<c>nn.MultiheadAttention</c>): MultiHead(Q, K, V) = Concat(head₁ … head_H)·W_Oᵀ + b_O,
/// head_h = softmax(Q·W_Q,hᵀ·(K·W_K,hᵀ)ᵀ/√d + M)·V·W_V,hᵀ with d = embedDim / numHeads.</summary>
/// <remarks>
/// <para>Parameters under PyTorch's names and shapes: <c>in_proj_weight</c> [3E, E] (rows: query, key, value) when
/// kdim = vdim = embedDim, otherwise <c>q_proj_weight</c> [E, E], <c>k_proj_weight</c> [E, kdim], <c>v_proj_weight</c> [E, vdim];
/// <c>in_proj_bias</c> [3E]; <c>bias_k</c>, <c>bias_v</c> [1, 1, E] with addBiasKv; <c>out_proj.weight</c> [E, E],
/// <c>out_proj.bias</c> [E]. Initialized as PyTorch: Xavier-uniform projections, zero biases, <c>out_proj.weight</c> with
/// Linear's default, Xavier-normal <c>bias_k</c>/<c>bias_v</c>. Vaswani et al., "Attention Is All You Need", 2017.</para>
/// <para>Self-attention (query, key and value the same tensor object) projects with one GEMM into [N, L, 3E], and the
/// fused attention reads the heads from it in place.</para>
/// </remarks>
public sealed class MultiheadAttention : Module
{
    private readonly Generator? generator;

    /// <summary>E, the model width.</summary>
    public int EmbedDim { get; }
    /// <summary>H, the number of heads.</summary>
    public int NumHeads { get; }
    /// <summary>d = E / H, the width of one head.</summary>
    public int HeadDim { get; }
    /// <summary>Features of the key input.</summary>
    public int KDim { get; }
    /// <summary>Features of the value input.</summary>
    public int VDim { get; }
    /// <summary>Dropout probability on the attention weights (training only).</summary>
    public double Dropout { get; }
    /// <summary>Inputs are [N, L, E] when true, [L, N, E] when false (PyTorch's default).</summary>
    public bool BatchFirst { get; }
    /// <summary>Whether a zero key and value are appended to each sequence.</summary>
    public bool AddZeroAttn { get; }

    /// <summary>The packed projection [3E, E], or null when kdim or vdim differ from E.</summary>
    public Parameter? InProjWeight { get; }
    /// <summary>The query projection [E, E] when kdim or vdim differ from E, else null.</summary>
    public Parameter? QProjWeight { get; }
    /// <summary>The key projection [E, kdim] when kdim or vdim differ from E, else null.</summary>
    public Parameter? KProjWeight { get; }
    /// <summary>The value projection [E, vdim] when kdim or vdim differ from E, else null.</summary>
    public Parameter? VProjWeight { get; }
    /// <summary>The projection biases [3E], or null without bias.</summary>
    public Parameter? InProjBias { get; }
    /// <summary>A learned key appended to every key sequence [1, 1, E], or null.</summary>
    public Parameter? BiasK { get; }
    /// <summary>A learned value appended to every value sequence [1, 1, E], or null.</summary>
    public Parameter? BiasV { get; }
    /// <summary>The output projection E → E.</summary>
    public Linear OutProj { get; }

    /// <summary>Creates the layer with PyTorch's arguments, defaults and initialization.</summary>
    /// <param name="embedDim">E, the model width.</param>
    /// <param name="numHeads">H; must divide E.</param>
    /// <param name="dropout">Dropout probability on the attention weights.</param>
    /// <param name="bias">Whether the projections have biases.</param>
    /// <param name="addBiasKv">Append the learned <c>bias_k</c>, <c>bias_v</c> to the keys and values.</param>
    /// <param name="addZeroAttn">Append a zero key and value.</param>
    /// <param name="kdim">Key features (default E).</param>
    /// <param name="vdim">Value features (default E).</param>
    /// <param name="batchFirst">[N, L, E] inputs instead of [L, N, E].</param>
    /// <param name="generator">Random source for the initialization and the dropout masks (default: <see cref="Generator.Default"/>).</param>
    public MultiheadAttention(int embedDim, int numHeads, double dropout = 0, bool bias = true, bool addBiasKv = false,
        bool addZeroAttn = false, int? kdim = null, int? vdim = null, bool batchFirst = false, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(embedDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numHeads, 1);
        if (embedDim % numHeads != 0)
            throw new ArgumentException($"MultiheadAttention: embed_dim {embedDim} must be divisible by num_heads {numHeads}.", nameof(numHeads));
        if (!(dropout >= 0 && dropout <= 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"MultiheadAttention: dropout must be between 0 and 1; got {dropout}.");
        (EmbedDim, NumHeads, HeadDim, KDim, VDim) = (embedDim, numHeads, embedDim / numHeads, kdim ?? embedDim, vdim ?? embedDim);
        ArgumentOutOfRangeException.ThrowIfLessThan(KDim, 1, nameof(kdim));
        ArgumentOutOfRangeException.ThrowIfLessThan(VDim, 1, nameof(vdim));
        (Dropout, BatchFirst, AddZeroAttn, this.generator) = (dropout, batchFirst, addZeroAttn, generator);

        if (KDim == embedDim && VDim == embedDim)
            InProjWeight = RegisterParameter("in_proj_weight", Tensor.Empty([3 * embedDim, embedDim]));
        else
        {
            QProjWeight = RegisterParameter("q_proj_weight", Tensor.Empty([embedDim, embedDim]));
            KProjWeight = RegisterParameter("k_proj_weight", Tensor.Empty([embedDim, KDim]));
            VProjWeight = RegisterParameter("v_proj_weight", Tensor.Empty([embedDim, VDim]));
        }
        if (bias) InProjBias = RegisterParameter("in_proj_bias", Tensor.Empty([3 * embedDim]));
        if (addBiasKv)
        {
            BiasK = RegisterParameter("bias_k", Tensor.Empty([1, 1, embedDim]));
            BiasV = RegisterParameter("bias_v", Tensor.Empty([1, 1, embedDim]));
        }
        // PyTorch builds out_proj (drawing Linear's default weights) before _reset_parameters, which leaves its weight alone.
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, bias, generator));
        ResetParameters(generator);
    }

    /// <summary>PyTorch's _reset_parameters: Xavier-uniform projections, zero in_proj_bias and out_proj.bias,
    /// Xavier-normal bias_k and bias_v.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        if (InProjWeight is not null) Init.XavierUniform(InProjWeight, generator: generator);
        else
        {
            Init.XavierUniform(QProjWeight!, generator: generator);   // the three exist when in_proj_weight does not
            Init.XavierUniform(KProjWeight!, generator: generator);
            Init.XavierUniform(VProjWeight!, generator: generator);
        }
        if (InProjBias is not null)
        {
            Init.Zeros(InProjBias);
            if (OutProj.Bias is not null) Init.Zeros(OutProj.Bias);
        }
        if (BiasK is not null) Init.XavierNormal(BiasK, generator: generator);
        if (BiasV is not null) Init.XavierNormal(BiasV, generator: generator);
    }

    /// <summary>Attends from <paramref name="query"/> over <paramref name="key"/>/<paramref name="value"/> (<c>forward</c>).</summary>
    /// <param name="query">[L, N, E] ([N, L, E] batch-first) or unbatched [L, E].</param>
    /// <param name="key">[S, N, kdim] ([N, S, kdim]) or [S, kdim].</param>
    /// <param name="value">[S, N, vdim] ([N, S, vdim]) or [S, vdim].</param>
    /// <param name="keyPaddingMask">[N, S] ([S] unbatched): bool, true = a padded key nobody attends; or float, added.</param>
    /// <param name="needWeights">Return the attention weights (after dropout).</param>
    /// <param name="attnMask">[L, S] or [N·H, L, S]: bool, true = not allowed; or float, added to the scores.</param>
    /// <param name="averageAttnWeights">Average the weights over heads ([N, L, S]) instead of [N, H, L, S].</param>
    /// <param name="isCausal">Query i attends keys j ≤ i only. A hint when <paramref name="attnMask"/> is given (the mask
    /// is used as it is, as PyTorch); without a mask the causal rule is applied (where PyTorch raises an error).</param>
    /// <param name="cache">Keys and values of earlier positions; see <see cref="KeyValueCache"/>.</param>
    /// <returns>The output [L, N, E] ([N, L, E]; [L, E] unbatched) and the weights, or null weights when not needed.</returns>
    public AttentionResult Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, bool needWeights = true,
        Tensor? attnMask = null, bool averageAttnWeights = true, bool isCausal = false, KeyValueCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        bool batched = CheckInputs(query, key, value);
        if (cache is not null && (BiasK is not null || AddZeroAttn))
            Throw.Argument($"{Describe()}: a key/value cache cannot be combined with add_bias_kv or add_zero_attn (their extra key would be cached at every step).");
        var q = ToBatchFirst(query, batched);
        var k = ToBatchFirst(key, batched);
        var v = ToBatchFirst(value, batched);
        int n = q.shape[0], l = q.shape[1], e = EmbedDim;

        // Projections: one GEMM for self-attention, one for key and value when they are the same tensor.
        AttentionInput qIn, kIn, vIn;
        bool reuse = false;
        if (cache is { FixedKeys: true, Keys: { } cachedKeys, Values: { } cachedValues })
        {
            (qIn, kIn, vIn) = (new(Project(q, 0), 0), new(cachedKeys, 0), new(cachedValues, 0));
            reuse = true;
        }
        else if (InProjWeight is not null && ReferenceEquals(query, key) && ReferenceEquals(key, value))
        {
            var qkv = Functional.Linear(q, InProjWeight, InProjBias);   // [N, L, 3E]
            (qIn, kIn, vIn) = (new(qkv, 0), new(qkv, e), new(qkv, 2 * e));
        }
        else if (InProjWeight is not null && ReferenceEquals(key, value))
        {
            var kv = Functional.Linear(k, InProjWeight.Narrow(0, e, 2 * e), InProjBias?.Narrow(0, e, 2 * e));   // [N, S, 2E]
            (qIn, kIn, vIn) = (new(Project(q, 0), 0), new(kv, 0), new(kv, e));
        }
        else (qIn, kIn, vIn) = (new(Project(q, 0), 0), new(Project(k, 1), 0), new(Project(v, 2), 0));

        int past = 0;
        if (cache is not null && !reuse)
        {
            if (cache is { FixedKeys: false, Keys: { } pastKeys, Values: { } pastValues })
            {
                past = pastKeys.shape[1];
                if (pastKeys.shape[0] != n)
                    Throw.Shape(Describe(), $"batch {pastKeys.shape[0]}", $"batch {n}",
                        $"{Describe()}: the cache holds {pastKeys.shape[0]} sequences but the query has {n}.");
                (kIn, vIn) = (new(Tensor.Cat([pastKeys, Heads(kIn)], 1), 0), new(Tensor.Cat([pastValues, Heads(vIn)], 1), 0));
            }
            cache.Set(Heads(kIn), Heads(vIn));
        }
        int keys = kIn.Source.shape[1];   // S as the caller sees it (cache included)

        int extra = 0;
        if (BiasK is not null && BiasV is not null)
        {
            kIn = new(Tensor.Cat([Heads(kIn), BiasK.Expand(n, 1, e)], 1), 0);
            vIn = new(Tensor.Cat([Heads(vIn), BiasV.Expand(n, 1, e)], 1), 0);
            extra++;
        }
        if (AddZeroAttn)
        {
            var zeros = Tensor.Zeros([n, 1, e], q.DType);
            (kIn, vIn) = (new(Tensor.Cat([Heads(kIn), zeros], 1), 0), new(Tensor.Cat([Heads(vIn), zeros], 1), 0));
            extra++;
        }
        var bias = CombinedMask(keyPaddingMask, attnMask, n, l, keys, extra, batched, q.DType);
        bool causal = isCausal && attnMask is null;

        double p = Training ? Dropout : 0, scale = 1 / Math.Sqrt(HeadDim);
        Tensor attended;   // [N, L, E]
        Tensor? weights;   // [N, H, L, S]
        Tensor[] operands = bias is null ? [qIn.Source, kIn.Source, vIn.Source] : [qIn.Source, kIn.Source, vIn.Source, bias];
        if (needWeights && Graph.ShouldRecord(operands))
        {
            // Weights that carry a gradient: the composition, on [N, H, T, d] views of the projections.
            var (o, w) = Functional.AttentionMath(Split(qIn, n), Split(kIn, n), Split(vIn, n), bias, causal, past, scale, p, generator);
            (attended, weights) = (o.Transpose(1, 2).Reshape(n, l, e), w);
        }
        else
        {
            var settings = new AttentionSettings(NumHeads, HeadDim, HeadDim, scale, causal, past, p, generator);
            var (o, w) = AttentionOp.Apply(qIn, kIn, vIn, bias, [n, NumHeads], settings, needWeights);
            (attended, weights) = (o, w?.ReshapeRaw([n, NumHeads, l, w.shape[^1]]));
        }

        var output = OutProj.Call(attended);
        output = !batched ? output.Squeeze(0) : BatchFirst ? output : output.Transpose(0, 1);
        if (weights is not null)
        {
            if (averageAttnWeights) weights = weights.Mean(1);
            if (!batched) weights = weights.Squeeze(0);
        }
        return new AttentionResult(output, needWeights ? weights : null);
    }

    /// <summary>x·W_roleᵀ + b_role for role 0 (query), 1 (key), 2 (value).</summary>
    private Tensor Project(Tensor x, int role)
    {
        int e = EmbedDim;
        // Without in_proj_weight the three separate projections exist (the constructor registers one set or the other).
        var weight = InProjWeight?.Narrow(0, role * e, e) ?? (role == 0 ? QProjWeight : role == 1 ? KProjWeight : VProjWeight)!;
        return Functional.Linear(x, weight, InProjBias?.Narrow(0, role * e, e));
    }

    /// <summary>The E columns of an operand, [N, T, E] (a view when the source is packed).</summary>
    private Tensor Heads(AttentionInput x) =>
        x.Column == 0 && x.Source.shape[2] == EmbedDim ? x.Source : x.Source.Narrow(2, x.Column, EmbedDim);

    /// <summary>[N, T, E] → [N, H, T, d] view.</summary>
    private Tensor Split(AttentionInput x, int n) => Heads(x).Reshape(n, x.Source.shape[1], NumHeads, HeadDim).Transpose(1, 2);

    private Tensor ToBatchFirst(Tensor x, bool batched) => !batched ? x.Unsqueeze(0) : BatchFirst ? x : x.Transpose(0, 1);

    /// <summary>The key padding mask and the attention mask as one additive mask broadcastable to [N, H, L, S + extra],
    /// or null; the columns of bias_k and the zero key (extra) are never masked.</summary>
    private Tensor? CombinedMask(Tensor? keyPaddingMask, Tensor? attnMask, int n, int l, int s, int extra, bool batched, DType dtype)
    {
        string who = Describe();
        Tensor? bias = null;
        if (attnMask is not null)
        {
            int heads = NumHeads;
            bool is2d = attnMask.Dim == 2 && attnMask.shape[0] == l && attnMask.shape[1] == s;
            bool is3d = attnMask.Dim == 3 && attnMask.shape[0] == n * heads && attnMask.shape[1] == l && attnMask.shape[2] == s;
            if (!is2d && !is3d)
                Throw.Shape(who, $"[{l}, {s}] or [{n * heads}, {l}, {s}]", ShapeUtil.Format(attnMask.shape),
                    $"{who}: attn_mask must be [L, S] = [{l}, {s}] or [N·num_heads, L, S] = [{n * heads}, {l}, {s}]; got {ShapeUtil.Format(attnMask.shape)}.");
            var additive = AttentionMasks.ToAdditive(who, "attn_mask", attnMask, blockedWhen: true, dtype);
            bias = is2d ? additive.Reshape(1, 1, l, s) : additive.Reshape(n, heads, l, s);
        }
        if (keyPaddingMask is not null)
        {
            int[] expected = batched ? [n, s] : [s];
            if (!ShapeUtil.SameShape(keyPaddingMask.shape, expected))
                Throw.Shape(who, ShapeUtil.Format(expected), ShapeUtil.Format(keyPaddingMask.shape),
                    $"{who}: key_padding_mask must be {(batched ? "[N, S]" : "[S]")} = {ShapeUtil.Format(expected)}; got {ShapeUtil.Format(keyPaddingMask.shape)}.");
            var padding = AttentionMasks.ToAdditive(who, "key_padding_mask", keyPaddingMask, blockedWhen: true, dtype).Reshape(n, 1, 1, s);
            bias = bias is null ? padding : bias.Add(padding);
        }
        return bias is null || extra == 0 ? bias : bias.Pad([0, extra]);
    }

    /// <summary>Checks ranks and feature sizes; returns whether the input is batched.</summary>
    private bool CheckInputs(Tensor query, Tensor key, Tensor value)
    {
        string who = Describe();
        string shapes = $"query {ShapeUtil.Format(query.shape)}, key {ShapeUtil.Format(key.shape)}, value {ShapeUtil.Format(value.shape)}";
        string layout = BatchFirst ? "[N, L, E]" : "[L, N, E]";
        if (query.Dim is not (2 or 3) || key.Dim != query.Dim || value.Dim != query.Dim)
            Throw.Shape(who, $"{layout} or unbatched [L, E]", shapes,
                $"{who}: query, key and value must all be 3-D {layout} (batch_first={(BatchFirst ? "True" : "False")}) or all unbatched 2-D; got {shapes}.");
        if (query.shape[^1] != EmbedDim || key.shape[^1] != KDim || value.shape[^1] != VDim)
            Throw.Shape(who, $"features {EmbedDim}, {KDim}, {VDim}", shapes,
                $"{who}: query, key and value must end in embed_dim {EmbedDim}, kdim {KDim} and vdim {VDim} features; got {shapes}.");
        bool batched = query.Dim == 3;
        int b = BatchFirst ? 0 : 1, t = 1 - b;
        if (batched && (key.shape[b] != query.shape[b] || value.shape[b] != query.shape[b]))
            Throw.Shape(who, $"batch {query.shape[b]}", shapes, $"{who}: query, key and value must have the same batch size (dimension {b}); got {shapes}.");
        int seq = batched ? t : 0;
        if (key.shape[seq] != value.shape[seq])
            Throw.Shape(who, $"{key.shape[seq]} values", shapes, $"{who}: key and value must have the same sequence length (dimension {seq}); got {shapes}.");
        return batched;
    }

    /// <inheritdoc/>
    public override string Describe() =>
        $"MultiheadAttention(embed_dim={EmbedDim}, num_heads={NumHeads}{(KDim != EmbedDim ? $", kdim={KDim}" : "")}{(VDim != EmbedDim ? $", vdim={VDim}" : "")}{(BatchFirst ? ", batch_first=True" : "")})";
}
