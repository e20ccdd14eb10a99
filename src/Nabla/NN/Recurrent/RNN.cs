using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>An Elman recurrent network (<c>nn.RNN</c>): h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh), or relu
/// with <c>nonlinearity: "relu"</c>, stacked and optionally bidirectional.</summary>
/// <remarks>Input [T, B, I] ([B, T, I] with batch_first, or unbatched [T, I]); returns the last layer's output
/// sequence [T, B, D·H] and the final hidden states h_n [L·D, B, H].</remarks>
public sealed class RNN : RecurrentLayer
{
    /// <summary>"tanh" or "relu".</summary>
    public string Nonlinearity { get; }

    /// <summary>Creates the layer, drawing weights from U(−1/√H, 1/√H); <paramref name="generator"/> also seeds the
    /// dropout between layers.</summary>
    public RNN(int inputSize, int hiddenSize, RecurrentOptions? options = null, string nonlinearity = "tanh", Generator? generator = null)
        : base(Kind(nonlinearity), inputSize, hiddenSize, options, generator) => Nonlinearity = nonlinearity;

    /// <summary>Convenience form with PyTorch's keyword arguments.</summary>
    public RNN(int inputSize, int hiddenSize, int numLayers, string nonlinearity = "tanh", bool bias = true, bool batchFirst = false,
        double dropout = 0, bool bidirectional = false, Generator? generator = null)
        : this(inputSize, hiddenSize, new RecurrentOptions(numLayers, bias, batchFirst, dropout, bidirectional), nonlinearity, generator) { }

    /// <summary>Runs the network from h0 (zeros when null) over the sequences; <paramref name="lengths"/> marks each
    /// sequence's real length (the rest is padding).</summary>
    public (Tensor Output, Tensor Hidden) Forward(Tensor input, Tensor? h0 = null, int[]? lengths = null) => ForwardHidden(input, h0, lengths);

    /// <summary>Runs the network over a packed batch; the output is packed the same way.</summary>
    public (PackedSequence Output, Tensor Hidden) Forward(PackedSequence input, Tensor? h0 = null) => ForwardHidden(input, h0);

    private protected override string DescribeExtra() => Nonlinearity == "tanh" ? "" : $", nonlinearity='{Nonlinearity}'";

    private static CellKind Kind(string nonlinearity) => nonlinearity switch
    {
        "tanh" => CellKind.RnnTanh,
        "relu" => CellKind.RnnRelu,
        _ => throw new ArgumentException($"RNN: unknown nonlinearity '{nonlinearity}'; expected 'tanh' or 'relu'.", nameof(nonlinearity)),
    };
}
