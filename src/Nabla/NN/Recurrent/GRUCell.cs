using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>One GRU step (<c>nn.GRUCell</c>): r, z = σ(·), n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn)),
/// h' = (1 − z)⊙n + z⊙h.</summary>
public sealed class GRUCell : RecurrentCell
{
    /// <summary>Creates the cell with PyTorch's initialization.</summary>
    public GRUCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
        : base(CellKind.Gru, inputSize, hiddenSize, bias, generator) { }

    /// <summary>h' from input [B, I] (or [I]) and h [B, H] (zeros when null).</summary>
    public Tensor Forward(Tensor input, Tensor? hx = null) => Step(input, hx, null).H;
}
