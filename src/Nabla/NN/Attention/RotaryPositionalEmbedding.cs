using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Rotary position embedding (RoPE) for queries and keys: each pair of features is rotated by an angle
/// proportional to the position, so ⟨R(m)q, R(n)k⟩ depends on m − n only.</summary>
/// <remarks>
/// <para>Pairing convention: GPT-NeoX's "half rotation" (also Hugging Face's LLaMA). With h = dim/2 and
/// x = [x₁ | x₂] split into halves, feature i pairs with feature i + h:
/// y₁ = x₁·cos(pθ) − x₂·sin(pθ),  y₂ = x₂·cos(pθ) + x₁·sin(pθ),  θ_i = base^(−2i/dim), i &lt; h, p the position.
/// (The RoFormer paper pairs neighbours 2i, 2i+1; weights trained one way need their features permuted for the other.)</para>
/// <para>Input [..., T, dim], typically [N, H, T, d] after the heads are split, positions offset … offset + T − 1 along
/// dimension −2. No parameters; the cos/sin tables are computed once per length and dtype. Su et al., "RoFormer:
/// Enhanced Transformer with Rotary Position Embedding", 2021.</para>
/// </remarks>
public sealed class RotaryPositionalEmbedding : Module<Tensor, Tensor>
{
    private readonly Dictionary<DType, (Tensor Cos, Tensor Sin)> tables = [];
    private int tableLength;

    /// <summary>The rotated width (the head size); even.</summary>
    public int Dim { get; }
    /// <summary>The base of the frequencies θ_i = base^(−2i/dim).</summary>
    public double Base { get; }

    /// <summary>Creates the embedding for features of size <paramref name="dim"/>.</summary>
    public RotaryPositionalEmbedding(int dim, double @base = 10000)
    {
        if (dim < 2 || dim % 2 != 0) throw new ArgumentException($"RotaryPositionalEmbedding: dim must be even and positive; got {dim}.", nameof(dim));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(@base, 1);
        (Dim, Base) = (dim, @base);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, 0);

    /// <summary>Rotates positions offset … offset + T − 1 of <paramref name="input"/> [..., T, dim].</summary>
    public Tensor Forward(Tensor input, int offset)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim < 2 || input.Shape[^1] != Dim)
            Throw.Shape(Describe(), $"[..., T, {Dim}]", ShapeUtil.Format(input.ShapeSpan),
                $"{Describe()}: input must be [..., T, {Dim}]; got {ShapeUtil.Format(input.ShapeSpan)}.");
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        int t = input.Shape[^2], h = Dim / 2;
        var (cos, sin) = Tables(offset + t, input.DType);
        cos = cos.Narrow(0, offset, t);   // [T, h]
        sin = sin.Narrow(0, offset, t);
        var x1 = input.Narrow(-1, 0, h);
        var x2 = input.Narrow(-1, h, h);
        return Tensor.Cat([x1.Mul(cos).Sub(x2.Mul(sin)), x2.Mul(cos).Add(x1.Mul(sin))], -1);
    }

    /// <summary>Both of a query and a key, at the same positions.</summary>
    public (Tensor Query, Tensor Key) Apply(Tensor query, Tensor key, int offset = 0) => (Forward(query, offset), Forward(key, offset));

    /// <summary>cos(pθ_i), sin(pθ_i) [length, h] computed in double, for at least <paramref name="length"/> positions.</summary>
    private (Tensor Cos, Tensor Sin) Tables(int length, DType dtype)
    {
        if (length > tableLength) { tables.Clear(); tableLength = Math.Max(length, 2 * tableLength); }
        if (tables.TryGetValue(dtype, out var found)) return found;
        int h = Dim / 2;
        var c = new double[tableLength * h];
        var s = new double[tableLength * h];
        for (int p = 0; p < tableLength; p++)
            for (int i = 0; i < h; i++)
            {
                double angle = p * Math.Pow(Base, -2.0 * i / Dim);
                (c[p * h + i], s[p * h + i]) = (Math.Cos(angle), Math.Sin(angle));
            }
        var made = (Tensor.FromArray<double>(c, [tableLength, h]).To(dtype), Tensor.FromArray<double>(s, [tableLength, h]).To(dtype));
        tables[dtype] = made;
        return made;
    }

    /// <inheritdoc/>
    public override string Describe() => $"RotaryPositionalEmbedding(dim={Dim}, base={Base})";
}
