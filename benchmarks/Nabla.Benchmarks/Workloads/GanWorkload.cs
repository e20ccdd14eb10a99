using Nabla.Benchmarks.Timing;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;
using TorchSharp;

namespace Nabla.Benchmarks.Workloads;

/// <summary>One step of <c>nabla train gan</c>: the DCGAN (<see cref="DcganGenerator"/>, <see cref="DcganDiscriminator"/>),
/// batch 64, one discriminator update then one generator update, each network with its own Adam (2e-4, β₁ 0.5).</summary>
/// <remarks>
/// A step draws z ~ N(0, I) [64, 100], generates x̃ = G(z), updates D on the fixed real batch (x ~ U(−1, 1), shared by
/// both libraries) and x̃ detached (BCE with logits, real target 1, fake 0), then updates G on D(x̃) (target 1), as
/// PyTorch's DCGAN example does. TorchSharp's networks start from Nabla's initial weights; each library draws its own z.
/// <see cref="AddExtras"/> splits the step into generating, the D update and the G update.
/// </remarks>
internal sealed class GanWorkload : IWorkload
{
    private const int Batch = 64, Latent = 100, Side = 28;
    private const double LearningRate = 2e-4, Beta1 = 0.5;
    private const int PhaseBlocks = 5, PhaseBlockSteps = 5;

    private DcganGenerator? _g;
    private DcganDiscriminator? _d;
    private Adam? _optimizerG, _optimizerD;
    private Tensor? _real;
    private Generator? _noise;

    private TorchDcganGenerator? _torchG;
    private TorchDcganDiscriminator? _torchD;
    private torch.optim.Optimizer? _torchOptimizerG, _torchOptimizerD;
    private torch.Tensor? _torchReal, _ones, _zeros;

    public string Id => "gan";

    public string Description => "DCGAN (nabla train gan), batch 64: one step = one discriminator and one generator update, BCE with logits, Adam";

    public int DefaultSteps => 40;

    public bool TracksMemory => true;

    public void Setup(int threads, bool withTorch)
    {
        var generator = new Generator(1234);
        _real = Tensor.Rand([Batch, 1, Side, Side], generator: generator).Mul(2).Sub(1);
        _g = new DcganGenerator(Latent, generator: generator);
        _d = new DcganDiscriminator(generator: generator);
        _optimizerG = new Adam(_g.Parameters(), lr: LearningRate, beta1: Beta1);
        _optimizerD = new Adam(_d.Parameters(), lr: LearningRate, beta1: Beta1);
        _noise = new Generator(99);
        if (!withTorch) return;

        _torchG = new TorchDcganGenerator(Latent);
        _torchD = new TorchDcganDiscriminator();
        TorchWeights.Copy(Id, _g, _torchG);
        TorchWeights.Copy(Id, _d, _torchD);
        _torchOptimizerG = torch.optim.Adam(_torchG.parameters(), lr: LearningRate, beta1: Beta1);
        _torchOptimizerD = torch.optim.Adam(_torchD.parameters(), lr: LearningRate, beta1: Beta1);
        _torchReal = torch.tensor(_real.ToArray<float>(), [Batch, 1, Side, Side]);
        _ones = torch.ones([Batch, 1]);
        _zeros = torch.zeros([Batch, 1]);
    }

    public void NablaStep() => NablaStep(null);

    public void TorchStep() => TorchStep(null);

    public void AddExtras(WorkloadRun run)
    {
        ClassifierStep.AddPhases(run, NablaStep, TorchStep, PhaseBlocks, PhaseBlockSteps);
        // An epoch of MNIST at this batch size is 938 steps.
        run.Extra["epoch_seconds_estimate"] = Math.Round(run.Main.Nabla.MedianMs * 938 / 1000, 1);
        if (run.Main.Torch is { } torchStats) run.Extra["torch_epoch_seconds_estimate"] = Math.Round(torchStats.MedianMs * 938 / 1000, 1);
    }

    private void NablaStep(PhaseClock? clock)
    {
        clock?.Start();
        var fake = _g!.Call(Tensor.Randn([Batch, Latent], generator: _noise));
        clock?.Lap("generate");
        var lossD = Functional.GanDiscriminatorLoss(_d!.Call(_real!), _d.Call(fake.Detach()));
        _optimizerD!.ZeroGrad();
        lossD.Backward();
        _optimizerD.Step();
        clock?.Lap("d_update");
        var lossG = Functional.GanGeneratorLoss(_d.Call(fake));
        _optimizerG!.ZeroGrad();
        lossG.Backward();
        _optimizerG.Step();
        clock?.Lap("g_update");
    }

    private void TorchStep(PhaseClock? clock)
    {
        clock?.Start();
        using (torch.NewDisposeScope())
        {
            var fake = _torchG!.call(torch.randn([Batch, Latent]));
            clock?.Lap("generate");
            var lossD = torch.nn.functional.binary_cross_entropy_with_logits(_torchD!.call(_torchReal!), _ones!)
                        + torch.nn.functional.binary_cross_entropy_with_logits(_torchD.call(fake.detach()), _zeros!);
            _torchOptimizerD!.zero_grad();
            lossD.backward();
            _torchOptimizerD.step();
            clock?.Lap("d_update");
            var lossG = torch.nn.functional.binary_cross_entropy_with_logits(_torchD.call(fake), _ones!);
            _torchOptimizerG!.zero_grad();
            lossG.backward();
            _torchOptimizerG.step();
            clock?.Lap("g_update");
        }
        clock?.Lap("dispose");
    }

    public void Dispose()
    {
        _torchReal?.Dispose();
        _ones?.Dispose();
        _zeros?.Dispose();
        _torchOptimizerG?.Dispose();
        _torchOptimizerD?.Dispose();
        _torchG?.Dispose();
        _torchD?.Dispose();
    }
}
