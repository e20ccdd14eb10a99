using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Adds a learned vector per position, then dropout: y[t] = x[t] + P[offset + t], with P an
/// <see cref="Embedding"/> of <see cref="MaxLen"/> positions (GPT-2's and BERT's position embeddings).</summary>
/// <remarks>The table is the sub-module <c>embedding</c> (state-dict key <c>embedding.weight</c>, [maxLen, d]),
/// drawn from N(0, 1) as nn.Embedding. Input [T, N, d], [N, T, d] with batchFirst, or [T, d].</remarks>
public sealed class LearnedPositionalEncoding : Module<Tensor, Tensor>
{
    private readonly Dropout dropout;

    /// <summary>The position table [maxLen, d].</summary>
    public Embedding Embedding { get; }
    /// <summary>The number of positions.</summary>
    public int MaxLen { get; }
    /// <summary>d, the model width.</summary>
    public int DModel { get; }
    /// <summary>Whether inputs are [N, T, d] rather than [T, N, d].</summary>
    public bool BatchFirst { get; }

    /// <summary>Creates the table.</summary>
    /// <param name="maxLen">The number of positions.</param>
    /// <param name="dModel">d, the model width.</param>
    /// <param name="dropout">Dropout probability after the addition.</param>
    /// <param name="batchFirst">Inputs are [N, T, d] instead of [T, N, d].</param>
    /// <param name="generator">Random source for the initialization and the dropout masks.</param>
    public LearnedPositionalEncoding(int maxLen, int dModel, double dropout = 0, bool batchFirst = false, Generator? generator = null)
    {
        (MaxLen, DModel, BatchFirst) = (maxLen, dModel, batchFirst);
        Embedding = RegisterModule("embedding", new Embedding(maxLen, dModel, generator: generator));
        this.dropout = RegisterModule("dropout", new Dropout(dropout, generator));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, 0);

    /// <summary>x + P[offset … offset + T), then dropout.</summary>
    public Tensor Forward(Tensor input, int offset)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (2 or 3) || input.Shape[^1] != DModel)
            Throw.Shape(Describe(), BatchFirst ? $"[N, T, {DModel}]" : $"[T, N, {DModel}]", ShapeUtil.Format(input.ShapeSpan),
                $"{Describe()}: input must be {(BatchFirst ? "[N, T, d]" : "[T, N, d]")} or [T, d] with d = {DModel}; got {ShapeUtil.Format(input.ShapeSpan)}.");
        int t = input.Dim == 3 && BatchFirst ? input.Shape[1] : input.Shape[0];
        if (offset < 0 || offset + t > MaxLen)
            Throw.OutOfRange($"{Describe()}: positions {offset} … {offset + t - 1} exceed max_len {MaxLen}.", nameof(offset));
        var code = Embedding.Call(Tensor.Arange(offset, offset + t, 1, DType.Int64));   // [T, d]
        if (input.Dim == 3 && !BatchFirst) code = code.Unsqueeze(1);                   // [T, 1, d]
        return dropout.Call(input.Add(code));
    }

    /// <inheritdoc/>
    public override string Describe() => $"LearnedPositionalEncoding(max_len={MaxLen}, d_model={DModel})";
}
