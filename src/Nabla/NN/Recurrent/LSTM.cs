using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>A long short-term memory network (<c>nn.LSTM</c>): i, f, o = σ(·), g = tanh(·) of W_i·x + b_i + W_h·h + b_h
/// per gate, c' = f⊙c + i⊙g, h' = o⊙tanh(c'), stacked and optionally bidirectional; gate blocks i, f, g, o as in PyTorch.</summary>
/// <remarks>Input [T, B, I] ([B, T, I] with batch_first, or unbatched [T, I]); returns the last layer's output
/// sequence [T, B, D·H] and the final states (h_n, c_n), each [L·D, B, H]. The forget-gate bias starts like every
/// other weight (PyTorch does not add 1 to it; set it yourself if you want to).</remarks>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Creates the layer, drawing weights from U(−1/√H, 1/√H); <paramref name="generator"/> also seeds the
    /// dropout between layers.</summary>
    public LSTM(int inputSize, int hiddenSize, RecurrentOptions? options = null, Generator? generator = null)
        : base(CellKind.Lstm, inputSize, hiddenSize, options, generator) { }

    /// <summary>Convenience form with PyTorch's keyword arguments.</summary>
    public LSTM(int inputSize, int hiddenSize, int numLayers, bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false, Generator? generator = null)
        : this(inputSize, hiddenSize, new RecurrentOptions(numLayers, bias, batchFirst, dropout, bidirectional), generator) { }

    /// <summary>Runs the network from (h0, c0) (zeros when null) over the sequences; <paramref name="lengths"/> marks
    /// each sequence's real length (the rest is padding).</summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? state = null, int[]? lengths = null)
    {
        var x = TimeMajor(input, out bool batched);
        int batch = x.shape[1];
        var h = InitialState("h0", state?.H, batch, batched, x.DType);
        var c = InitialState("c0", state?.C, batch, batched, x.DType);
        var (output, hn, cn) = Run(x, h, c, Lengths(lengths, batch, batched));
        return (FromTimeMajor(output, batched), (FinalState(hn, batched), FinalState(cn!, batched)));
    }

    /// <summary>Runs the network over a packed batch; the output is packed the same way.</summary>
    public (PackedSequence Output, (Tensor H, Tensor C) State) Forward(PackedSequence input, (Tensor H, Tensor C)? state = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (output, final) = Forward(InModuleLayout(input.Padded), state, input.LengthsArray());
        return (input.WithPadded(InModuleLayout(output)), final);
    }
}
