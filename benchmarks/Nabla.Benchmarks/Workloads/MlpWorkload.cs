using Nabla.Benchmarks.Timing;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;
using TorchSharp;

namespace Nabla.Benchmarks.Workloads;

/// <summary>One training step of an MNIST-sized MLP, 784-512-256-10 with ReLU, batch 128, cross-entropy, Adam.</summary>
/// <remarks>
/// A step is forward, loss, zero_grad, backward, optimizer step, on one fixed random batch (x ~ N(0, 1), labels
/// uniform in 0 … 9) shared by both libraries. TorchSharp's model starts from Nabla's initial weights, so both
/// compute the same numbers; the first steps' losses in the extras show it. TorchSharp's step runs in a dispose scope,
/// as TorchSharp's documentation asks of a training loop. Besides the timing, <see cref="AddExtras"/> splits the
/// step into its phases, and the runner's memory run (<see cref="TracksMemory"/>) watches allocation and RSS.
/// </remarks>
internal sealed class MlpWorkload : IWorkload
{
    private const int Batch = 128, Inputs = 784, Hidden1 = 512, Hidden2 = 256, Classes = 10;
    private const double LearningRate = 1e-3;
    private const int PhaseBlocks = 10, PhaseBlockSteps = 10;

    private Sequential? _model;
    private Adam? _optimizer;
    private Tensor? _x, _y;

    private torch.nn.Module<torch.Tensor, torch.Tensor>? _torchModel;
    private torch.optim.Optimizer? _torchOptimizer;
    private torch.Tensor? _torchX, _torchY;

    private double? _nablaFirstLoss, _torchFirstLoss;

    public string Id => "mlp";

    public string Description => "MLP 784-512-256-10, ReLU, batch 128, cross-entropy, Adam: one training step";

    public int DefaultSteps => 300;

    public bool TracksMemory => true;

    public void Setup(int threads, bool withTorch)
    {
        var generator = new Generator(1234);
        _x = Tensor.Randn([Batch, Inputs], generator: generator);
        _y = Tensor.RandInt(0, Classes, [Batch], generator: generator);
        _model = new Sequential(
            new Linear(Inputs, Hidden1, generator: generator), new ReLU(),
            new Linear(Hidden1, Hidden2, generator: generator), new ReLU(),
            new Linear(Hidden2, Classes, generator: generator));
        _optimizer = new Adam(_model.Parameters(), lr: LearningRate);
        if (!withTorch) return;

        var model = torch.nn.Sequential(
            torch.nn.Linear(Inputs, Hidden1), torch.nn.ReLU(),
            torch.nn.Linear(Hidden1, Hidden2), torch.nn.ReLU(),
            torch.nn.Linear(Hidden2, Classes));
        TorchWeights.Copy(Id, _model, model);
        _torchModel = model;
        _torchOptimizer = torch.optim.Adam(model.parameters(), lr: LearningRate);
        _torchX = torch.tensor(_x.ToArray<float>(), [Batch, Inputs]);
        _torchY = torch.tensor(_y.ToArray<long>(), [Batch]);
    }

    public void NablaStep() => NablaStep(null);

    public void TorchStep() => TorchStep(null);

    public void AddExtras(WorkloadRun run)
    {
        ClassifierStep.AddPhases(run, NablaStep, TorchStep, PhaseBlocks, PhaseBlockSteps);

        // Both first steps started from the same weights and data, so these agree if both compute the same loss.
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
