using Nabla.Kernels.Recurrent;
using Nabla.Tensors;

namespace Nabla.NN;

/// <summary>One Elman step (<c>nn.RNNCell</c>): h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh), or relu.</summary>
public sealed class RNNCell : RecurrentCell
{
    /// <summary>"tanh" or "relu".</summary>
    public string Nonlinearity { get; }

    /// <summary>Creates the cell with PyTorch's initialization.</summary>
    public RNNCell(int inputSize, int hiddenSize, bool bias = true, string nonlinearity = "tanh", Generator? generator = null)
        : base(nonlinearity switch
        {
            "tanh" => CellKind.RnnTanh,
            "relu" => CellKind.RnnRelu,
            _ => throw new ArgumentException($"RNNCell: unknown nonlinearity '{nonlinearity}'; expected 'tanh' or 'relu'.", nameof(nonlinearity)),
        }, inputSize, hiddenSize, bias, generator) => Nonlinearity = nonlinearity;

    /// <summary>h' from input [B, I] (or [I]) and h [B, H] (zeros when null).</summary>
    public Tensor Forward(Tensor input, Tensor? hx = null) => Step(input, hx, null).H;
}
