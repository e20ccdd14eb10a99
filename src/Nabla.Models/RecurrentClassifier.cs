using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>The recurrent kinds <see cref="RecurrentClassifier"/> can be built with.</summary>
public enum RecurrentKind
{
    /// <summary>An Elman network with tanh.</summary>
    Rnn,

    /// <summary>Long short-term memory.</summary>
    Lstm,

    /// <summary>Gated recurrent unit.</summary>
    Gru,
}

/// <summary>A sequence classifier: a one-layer, batch-first RNN, LSTM or GRU reads [B, T, I], and a linear head maps its
/// final hidden state h_T [B, H] to class logits [B, classes].</summary>
/// <remarks>
/// Children under PyTorch's names: <c>rnn</c> (weight_ih_l0, …) and <c>head</c>; the same model in PyTorch is
/// <c>rnn = nn.LSTM(I, H, batch_first=True); head = nn.Linear(H, classes)</c> with <c>head(rnn(x)[1][0][-1])</c>.
/// Used by <c>nabla train memory</c> and the rnn, lstm and gru benchmarks.
/// </remarks>
public sealed class RecurrentClassifier : Module<Tensor, Tensor>
{
    /// <summary>The recurrent layer.</summary>
    public RecurrentLayer Rnn { get; }

    /// <summary>The classification head.</summary>
    public Linear Head { get; }

    /// <summary>Which recurrent layer this is.</summary>
    public RecurrentKind Kind { get; }

    /// <summary>Creates the model with PyTorch's default initialization.</summary>
    public RecurrentClassifier(RecurrentKind kind, int inputSize, int hiddenSize, int classes, Generator? generator = null)
    {
        Kind = kind;
        var options = new RecurrentOptions(BatchFirst: true);
        Rnn = RegisterModule<RecurrentLayer>("rnn", kind switch
        {
            RecurrentKind.Lstm => new LSTM(inputSize, hiddenSize, options, generator),
            RecurrentKind.Gru => new GRU(inputSize, hiddenSize, options, generator),
            _ => new RNN(inputSize, hiddenSize, options, "tanh", generator),
        });
        Head = RegisterModule("head", new Linear(hiddenSize, classes, generator: generator));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Head.Call(FinalHidden(input));

    /// <summary>The last layer's final hidden state h_T [B, H] for input [B, T, I].</summary>
    public Tensor FinalHidden(Tensor input)
    {
        var hidden = Rnn switch
        {
            LSTM lstm => lstm.Forward(input).State.H,
            GRU gru => gru.Forward(input).Hidden,
            RNN rnn => rnn.Forward(input).Hidden,
            _ => throw new InvalidOperationException($"RecurrentClassifier: unexpected layer {Rnn.GetType().Name}."),
        };
        return hidden.Select(0, hidden.Shape[0] - 1);
    }
}
