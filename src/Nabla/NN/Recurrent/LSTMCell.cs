using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>One LSTM step (<c>nn.LSTMCell</c>): gates i, f, g, o; c' = f⊙c + i⊙g, h' = o⊙tanh(c').</summary>
public sealed class LSTMCell : RecurrentCell
{
    /// <summary>Creates the cell with PyTorch's initialization.</summary>
    public LSTMCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
        : base(CellKind.Lstm, inputSize, hiddenSize, bias, generator) { }

    /// <summary>(h', c') from input [B, I] (or [I]) and (h, c), each [B, H] (zeros when null).</summary>
    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state = null)
    {
        var (h, c) = Step(input, state?.H, state?.C);
        return (h, c!);
    }
}
