using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>A gated recurrent unit network (<c>nn.GRU</c>): r = σ(W_ir·x + b_ir + W_hr·h + b_hr),
/// z = σ(W_iz·x + b_iz + W_hz·h + b_hz), n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn)), h' = (1 − z)⊙n + z⊙h,
/// stacked and optionally bidirectional; gate blocks r, z, n as in PyTorch.</summary>
/// <remarks>Input [T, B, I] ([B, T, I] with batch_first, or unbatched [T, I]); returns the last layer's output
/// sequence [T, B, D·H] and the final hidden states h_n [L·D, B, H].</remarks>
public sealed class GRU : RecurrentLayer
{
    /// <summary>Creates the layer, drawing weights from U(−1/√H, 1/√H); <paramref name="generator"/> also seeds the
    /// dropout between layers.</summary>
    public GRU(int inputSize, int hiddenSize, RecurrentOptions? options = null, Generator? generator = null)
        : base(CellKind.Gru, inputSize, hiddenSize, options, generator) { }

    /// <summary>Convenience form with PyTorch's keyword arguments.</summary>
    public GRU(int inputSize, int hiddenSize, int numLayers, bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false, Generator? generator = null)
        : this(inputSize, hiddenSize, new RecurrentOptions(numLayers, bias, batchFirst, dropout, bidirectional), generator) { }

    /// <summary>Runs the network from h0 (zeros when null) over the sequences; <paramref name="lengths"/> marks each
    /// sequence's real length (the rest is padding).</summary>
    public (Tensor Output, Tensor Hidden) Forward(Tensor input, Tensor? h0 = null, int[]? lengths = null) => ForwardHidden(input, h0, lengths);

    /// <summary>Runs the network over a packed batch; the output is packed the same way.</summary>
    public (PackedSequence Output, Tensor Hidden) Forward(PackedSequence input, Tensor? h0 = null) => ForwardHidden(input, h0);
}
