using Nabla.Benchmarks.Timing;
using Nabla.NN;
using Nabla.Optim;
using TorchSharp;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Benchmarks.Workloads;

/// <summary>One classifier training step — forward, cross-entropy, zero_grad, backward, optimizer step — written once
/// for each library, with the phases lapped on an optional clock; the mlp and cnn workloads share it.</summary>
internal static class ClassifierStep
{
    /// <summary>Nabla's step; returns the loss tensor.</summary>
    public static NablaTensor Nabla(Module<NablaTensor, NablaTensor> model, Optimizer optimizer, NablaTensor x, NablaTensor y, PhaseClock? clock)
    {
        clock?.Start();
        var logits = model.Call(x);
        clock?.Lap("forward");
        var loss = Functional.CrossEntropy(logits, y);
        clock?.Lap("loss");
        optimizer.ZeroGrad();
        clock?.Lap("zero_grad");
        loss.Backward();
        clock?.Lap("backward");
        optimizer.Step();
        clock?.Lap("step");
        return loss;
    }

    /// <summary>TorchSharp's step inside a dispose scope, as a TorchSharp training loop must run; returns the loss value
    /// when <paramref name="readLoss"/> (reading it synchronizes, so only when needed).</summary>
    public static float? Torch(torch.nn.Module<torch.Tensor, torch.Tensor> model, torch.optim.Optimizer optimizer, torch.Tensor x, torch.Tensor y,
        PhaseClock? clock, bool readLoss)
    {
        float? value = null;
        clock?.Start();
        using (torch.NewDisposeScope())
        {
            var logits = model.call(x);
            clock?.Lap("forward");
            var loss = torch.nn.functional.cross_entropy(logits, y);
            clock?.Lap("loss");
            optimizer.zero_grad();
            clock?.Lap("zero_grad");
            loss.backward();
            clock?.Lap("backward");
            optimizer.step();
            clock?.Lap("step");
            if (readLoss) value = loss.item<float>();
        }
        clock?.Lap("dispose");
        return value;
    }

    /// <summary>Where a step's time goes: more steps with each phase timed, in alternating blocks as in the main timing;
    /// the per-phase medians land in <c>phase_ms</c> and <c>torch_phase_ms</c>.</summary>
    public static void AddPhases(WorkloadRun run, Action<PhaseClock?> nablaStep, Action<PhaseClock?> torchStep, int blocks, int stepsPerBlock)
    {
        var nabla = new PhaseClock();
        var torchClock = run.WithTorch ? new PhaseClock() : null;
        for (int block = 0; block < blocks; block++)
        {
            for (int i = 0; i < stepsPerBlock; i++) nablaStep(nabla);
            if (torchClock is null) continue;
            run.Settle();
            for (int i = 0; i < stepsPerBlock; i++) torchStep(torchClock);
            run.Settle();
        }
        run.Extra["phase_ms"] = nabla.Medians();
        if (torchClock is not null) run.Extra["torch_phase_ms"] = torchClock.Medians();
    }
}
