using Nabla.Benchmarks.Timing;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;
using TorchSharp;

namespace Nabla.Benchmarks.Workloads;

/// <summary>One training step of <c>nabla train vae</c>'s default model (<see cref="MlpVae"/>: 784-400-(20, 20) / 20-400-784)
/// on a batch of 128 MNIST-sized images, negative ELBO (BCE with logits summed over the pixels + KL), Adam.</summary>
/// <remarks>
/// A step is forward (encode, reparameterize, decode), loss, zero_grad, backward, optimizer step on one fixed batch of
/// pixels x ~ U(0, 1) shared by both libraries; TorchSharp's model (<see cref="TorchMlpVae"/>) starts from Nabla's
/// initial weights, and each library draws its own ε, so the losses agree only roughly. <see cref="AddExtras"/> splits
/// the step into its phases.
/// </remarks>
internal sealed class VaeWorkload : IWorkload
{
    private const int Batch = 128, Side = 28;
    private const double LearningRate = 1e-3;
    private const int PhaseBlocks = 10, PhaseBlockSteps = 10;

    private MlpVae? _model;
    private Adam? _optimizer;
    private Tensor? _x;

    private TorchMlpVae? _torchModel;
    private torch.optim.Optimizer? _torchOptimizer;
    private torch.Tensor? _torchX;

    private double? _nablaFirstLoss, _torchFirstLoss;

    public string Id => "vae";

    public string Description => "MLP VAE 784-400-20 (nabla train vae), batch 128, negative ELBO, Adam: one training step";

    public int DefaultSteps => 300;

    public bool TracksMemory => true;

    public void Setup(int threads, bool withTorch)
    {
        var generator = new Generator(1234);
        _x = Tensor.Rand([Batch, 1, Side, Side], generator: generator);
        _model = new MlpVae(generator: generator) { Noise = new Generator(99) };
        _optimizer = new Adam(_model.Parameters(), lr: LearningRate);
        if (!withTorch) return;

        _torchModel = new TorchMlpVae();
        TorchWeights.Copy(Id, _model, _torchModel);
        _torchOptimizer = torch.optim.Adam(_torchModel.parameters(), lr: LearningRate);
        _torchX = torch.tensor(_x.ToArray<float>(), [Batch, 1, Side, Side]);
    }

    public void NablaStep() => NablaStep(null);

    public void TorchStep() => TorchStep(null);

    public void AddExtras(WorkloadRun run)
    {
        ClassifierStep.AddPhases(run, NablaStep, TorchStep, PhaseBlocks, PhaseBlockSteps);
        if (_nablaFirstLoss is { } n) run.Extra["first_loss"] = n;
        if (_torchFirstLoss is { } t) run.Extra["torch_first_loss"] = t;
        // An epoch of MNIST at this batch size is 469 steps.
        run.Extra["epoch_seconds_estimate"] = Math.Round(run.Main.Nabla.MedianMs * 469 / 1000, 1);
        if (run.Main.Torch is { } torchStats) run.Extra["torch_epoch_seconds_estimate"] = Math.Round(torchStats.MedianMs * 469 / 1000, 1);
    }

    private void NablaStep(PhaseClock? clock)
    {
        clock?.Start();
        var output = _model!.Call(_x!);
        clock?.Lap("forward");
        var loss = Functional.VaeLoss(output.Logits, _x!, output.Mu, output.LogVar, reconstructionLoss: ReconstructionLoss.BinaryCrossEntropyWithLogits).Loss;
        clock?.Lap("loss");
        _optimizer!.ZeroGrad();
        clock?.Lap("zero_grad");
        loss.Backward();
        clock?.Lap("backward");
        _optimizer.Step();
        clock?.Lap("step");
        _nablaFirstLoss ??= loss.Item();
    }

    private void TorchStep(PhaseClock? clock)
    {
        clock?.Start();
        using (torch.NewDisposeScope())
        {
            var (logits, mu, logVar) = _torchModel!.call(_torchX!);
            clock?.Lap("forward");
            var bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, _torchX!.flatten(1), reduction: torch.nn.Reduction.Sum);
            var loss = bce - 0.5 * torch.sum(1 + logVar - mu.pow(2) - logVar.exp());
            clock?.Lap("loss");
            _torchOptimizer!.zero_grad();
            clock?.Lap("zero_grad");
            loss.backward();
            clock?.Lap("backward");
            _torchOptimizer.step();
            clock?.Lap("step");
            if (_torchFirstLoss is null) _torchFirstLoss = loss.item<float>();
        }
        clock?.Lap("dispose");
    }

    public void Dispose()
    {
        _torchX?.Dispose();
        _torchOptimizer?.Dispose();
        _torchModel?.Dispose();
    }
}
