using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>Adds the fixed sinusoidal position code of "Attention Is All You Need", then dropout:
/// PE[pos, 2i] = sin(pos/10000^(2i/d)),  PE[pos, 2i+1] = cos(pos/10000^(2i/d)).</summary>
/// <remarks>
/// The formula and the buffer <c>pe</c> [maxLen, 1, d] are those of PyTorch's transformer tutorial (its
/// <c>PositionalEncoding</c> module), so its state dict loads. Input [T, N, d] (PyTorch's sequence-first default),
/// [N, T, d] with <see cref="BatchFirst"/>, or unbatched [T, d]; positions start at the offset given to
/// <see cref="Forward(Tensor, int)"/> (0 by default), so incremental decoding adds the code of the step it feeds.
/// Scaling the token embeddings by √d, as the paper does, is left to the model.
/// </remarks>
public sealed class SinusoidalPositionalEncoding : Module<Tensor, Tensor>
{
    private readonly Dropout dropout;

    /// <summary>d, the model width.</summary>
    public int DModel { get; }
    /// <summary>The longest sequence (offset + length) the buffer covers.</summary>
    public int MaxLen { get; }
    /// <summary>Whether inputs are [N, T, d] rather than [T, N, d].</summary>
    public bool BatchFirst { get; }
    /// <summary>The table [maxLen, 1, d].</summary>
    public Tensor Pe { get; }

    /// <summary>Builds the table (PyTorch tutorial's argument order: d_model, dropout, max_len).</summary>
    /// <param name="dModel">d, the model width.</param>
    /// <param name="dropout">Dropout probability after the addition.</param>
    /// <param name="maxLen">The number of positions in the table.</param>
    /// <param name="batchFirst">Inputs are [N, T, d] instead of [T, N, d].</param>
    /// <param name="generator">Random source for the dropout masks.</param>
    public SinusoidalPositionalEncoding(int dModel, double dropout = 0.1, int maxLen = 5000, bool batchFirst = false, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dModel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLen, 1);
        (DModel, MaxLen, BatchFirst) = (dModel, maxLen, batchFirst);
        this.dropout = RegisterModule("dropout", new Dropout(dropout, generator));
        Pe = RegisterBuffer("pe", Table(maxLen, dModel).Reshape(maxLen, 1, dModel));
    }

    /// <summary>The code [positions, d] in double: column 2i holds sin(pos·ω_i), column 2i + 1 cos(pos·ω_i),
    /// ω_i = 10000^(−2i/d) = exp(−2i·ln(10000)/d) as the tutorial computes it.</summary>
    public static Tensor Table(int positions, int dModel, DType dtype = DType.Float32)
    {
        var values = new double[positions * dModel];
        for (int pos = 0; pos < positions; pos++)
            for (int c = 0; c < dModel; c++)
            {
                double omega = Math.Exp(-(c & ~1) * Math.Log(10000.0) / dModel);
                values[pos * dModel + c] = (c & 1) == 0 ? Math.Sin(pos * omega) : Math.Cos(pos * omega);
            }
        return Tensor.FromArray<double>(values, [positions, dModel]).To(dtype);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, 0);

    /// <summary>x + PE[offset … offset + T), then dropout.</summary>
    public Tensor Forward(Tensor input, int offset)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (2 or 3) || input.Shape[^1] != DModel)
            Throw.Shape(Describe(), BatchFirst ? $"[N, T, {DModel}]" : $"[T, N, {DModel}]", ShapeUtil.Format(input.ShapeSpan),
                $"{Describe()}: input must be {(BatchFirst ? "[N, T, d]" : "[T, N, d]")} or [T, d] with d = {DModel}; got {ShapeUtil.Format(input.ShapeSpan)}.");
        int t = input.Dim == 3 && BatchFirst ? input.Shape[1] : input.Shape[0];
        if (offset < 0 || offset + t > MaxLen)
            Throw.OutOfRange($"{Describe()}: positions {offset} … {offset + t - 1} exceed max_len {MaxLen}.", nameof(offset));
        var code = Pe.Narrow(0, offset, t).To(input.DType);   // [T, 1, d]
        code = input.Dim == 2 || BatchFirst ? code.Reshape(t, DModel) : code;
        return dropout.Call(input.Add(code));
    }

    /// <inheritdoc/>
    public override string Describe() => $"SinusoidalPositionalEncoding(d_model={DModel}, max_len={MaxLen})";
}
