using TorchSharp;
using static TorchSharp.torch;

namespace Nabla.Benchmarks.Workloads;

/// <summary>Nabla.Models.RecurrentClassifier in TorchSharp: a batch-first RNN, LSTM or GRU named <c>rnn</c> and a linear
/// <c>head</c> on the final hidden state, so the two state dicts match key for key.</summary>
internal sealed class TorchRecurrentClassifier : nn.Module<Tensor, Tensor>
{
    // Registered by RegisterComponents under their field names, which are PyTorch's state-dict prefixes.
    private readonly nn.Module rnn;
    private readonly TorchSharp.Modules.Linear head;

    public TorchRecurrentClassifier(Models.RecurrentKind kind, int inputSize, int hiddenSize, int classes) : base("RecurrentClassifier")
    {
        rnn = kind switch
        {
            Models.RecurrentKind.Lstm => nn.LSTM(inputSize, hiddenSize, batchFirst: true),
            Models.RecurrentKind.Gru => nn.GRU(inputSize, hiddenSize, batchFirst: true),
            _ => nn.RNN(inputSize, hiddenSize, batchFirst: true),
        };
        head = nn.Linear(hiddenSize, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var hidden = rnn switch
        {
            TorchSharp.Modules.LSTM lstm => lstm.forward(x, null).Item2,
            TorchSharp.Modules.GRU gru => gru.forward(x, null).Item2,
            TorchSharp.Modules.RNN plain => plain.forward(x, null).Item2,
            _ => throw new InvalidOperationException("unexpected recurrent module"),
        };
        return head.call(hidden[-1]);
    }
}
