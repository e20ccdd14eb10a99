using Nabla.Benchmarks.Timing;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;
using TorchSharp;

namespace Nabla.Benchmarks.Workloads;

/// <summary>One training step of <c>nabla train cnn</c>'s default network (<see cref="Cnn"/>: conv 32, conv 64, fc 128,
/// dropout, fc 10) on a batch of 64 MNIST-sized images, cross-entropy, Adam.</summary>
/// <remarks>
/// A step is forward, loss, zero_grad, backward, optimizer step on one fixed random batch (x ~ N(0, 1), labels uniform in
/// 0 … 9) shared by both libraries; TorchSharp's model (<see cref="TorchCnn"/>) starts from Nabla's initial weights.
/// Dropout draws its own masks in each library, so the losses agree only roughly. <see cref="AddExtras"/> splits the step
/// into its phases, and the runner's memory run watches allocation and resident memory.
/// </remarks>
internal sealed class CnnWorkload : IWorkload
{
    private const int Batch = 64, Side = 28, Classes = 10;
    private const double LearningRate = 1e-3;
    private const int PhaseBlocks = 5, PhaseBlockSteps = 5;

    private Cnn? _model;
    private Adam? _optimizer;
    private Tensor? _x, _y;

    private TorchCnn? _torchModel;
    private torch.optim.Optimizer? _torchOptimizer;
    private torch.Tensor? _torchX, _torchY;

    private double? _nablaFirstLoss, _torchFirstLoss;

    public string Id => "cnn";

    public string Description => "CNN conv32-conv64-fc128-10 (nabla train cnn), batch 64, cross-entropy, Adam: one training step";

    public int DefaultSteps => 100;

    public bool TracksMemory => true;

    public void Setup(int threads, bool withTorch)
    {
        var generator = new Generator(1234);
        _x = Tensor.Randn([Batch, 1, Side, Side], generator: generator);
        _y = Tensor.RandInt(0, Classes, [Batch], generator: generator);
        _model = new Cnn(Classes, generator: generator);
        _optimizer = new Adam(_model.Parameters(), lr: LearningRate);
        if (!withTorch) return;

        _torchModel = new TorchCnn(Classes);
        TorchWeights.Copy(Id, _model, _torchModel);
        _torchOptimizer = torch.optim.Adam(_torchModel.parameters(), lr: LearningRate);
        _torchX = torch.tensor(_x.ToArray<float>(), [Batch, 1, Side, Side]);
        _torchY = torch.tensor(_y.ToArray<long>(), [Batch]);
    }

    public void NablaStep() => NablaStep(null);

    public void TorchStep() => TorchStep(null);

    public void AddExtras(WorkloadRun run)
    {
        ClassifierStep.AddPhases(run, NablaStep, TorchStep, PhaseBlocks, PhaseBlockSteps);
        if (_nablaFirstLoss is { } n) run.Extra["first_loss"] = n;
        if (_torchFirstLoss is { } t) run.Extra["torch_first_loss"] = t;
        // An epoch of MNIST at this batch size is 938 steps.
        run.Extra["epoch_seconds_estimate"] = Math.Round(run.Main.Nabla.MedianMs * 938 / 1000, 1);
        if (run.Main.Torch is { } torchStats) run.Extra["torch_epoch_seconds_estimate"] = Math.Round(torchStats.MedianMs * 938 / 1000, 1);
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
