using Nabla.Benchmarks.Timing;
using Nabla.Models;
using Nabla.Optim;
using Nabla.Tensors;
using TorchSharp;

namespace Nabla.Benchmarks.Workloads;

/// <summary>One training step of a sequence classifier: a batch-first RNN, LSTM or GRU (input 64, hidden 256, one
/// layer) over 64 steps of a batch of 32, a linear head 256 → 10 on the final hidden state, cross-entropy, Adam.</summary>
/// <remarks>Both libraries start from Nabla's initial weights on the same random batch (the first losses in the
/// extras agree); the step's phases are split as in the mlp workload.</remarks>
internal sealed class RecurrentWorkload(RecurrentKind kind) : IWorkload
{
    private const int Batch = 32, Steps = 64, Inputs = 64, Hidden = 256, Classes = 10;
    private const double LearningRate = 1e-3;

    private RecurrentClassifier? _model;
    private Adam? _optimizer;
    private Tensor? _x, _y;
    private TorchRecurrentClassifier? _torchModel;
    private torch.optim.Optimizer? _torchOptimizer;
    private torch.Tensor? _torchX, _torchY;
    private double? _nablaFirstLoss, _torchFirstLoss;

    public string Id => kind.ToString().ToLowerInvariant();

    public string Description => $"{kind.ToString().ToUpperInvariant()} 64→256, 64 steps, batch 32 (batch-first), head 256→10 on h_T, cross-entropy, Adam: one training step";

    public int DefaultSteps => 100;

    public void Setup(int threads, bool withTorch)
    {
        var generator = new Generator(4321);
        _x = Tensor.Randn([Batch, Steps, Inputs], generator: generator);
        _y = Tensor.RandInt(0, Classes, [Batch], generator: generator);
        _model = new RecurrentClassifier(kind, Inputs, Hidden, Classes, generator);
        _optimizer = new Adam(_model.Parameters(), lr: LearningRate);
        if (!withTorch) return;
        _torchModel = new TorchRecurrentClassifier(kind, Inputs, Hidden, Classes);
        TorchWeights.Copy(Id, _model, _torchModel);
        _torchOptimizer = torch.optim.Adam(_torchModel.parameters(), lr: LearningRate);
        _torchX = torch.tensor(_x.ToArray<float>(), [Batch, Steps, Inputs]);
        _torchY = torch.tensor(_y.ToArray<long>(), [Batch]);
    }

    public void NablaStep() => NablaStep(null);

    public void TorchStep() => TorchStep(null);

    public void AddExtras(WorkloadRun run)
    {
        ClassifierStep.AddPhases(run, NablaStep, TorchStep, blocks: 5, stepsPerBlock: 5);
        if (_nablaFirstLoss is { } n) run.Extra["first_loss"] = n;
        if (_torchFirstLoss is { } t) run.Extra["torch_first_loss"] = t;
    }

    private void NablaStep(PhaseClock? clock)
    {
        var loss = ClassifierStep.Nabla(_model!, _optimizer!, _x!, _y!, clock);
        _nablaFirstLoss ??= loss.Item();
    }

    private void TorchStep(PhaseClock? clock)
    {
        var loss = ClassifierStep.Torch(_torchModel!, _torchOptimizer!, _torchX!, _torchY!, clock, readLoss: _torchFirstLoss is null);
        _torchFirstLoss ??= loss;
    }

    public void Dispose()
    {
        _torchX?.Dispose();
        _torchY?.Dispose();
        _torchOptimizer?.Dispose();
        _torchModel?.Dispose();
    }
}
