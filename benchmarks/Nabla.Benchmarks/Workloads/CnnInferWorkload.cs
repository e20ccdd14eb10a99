using Nabla.Benchmarks.Timing;
using Nabla.Models;
using Nabla.Tensors;
using TorchSharp;

namespace Nabla.Benchmarks.Workloads;

/// <summary>Inference with <c>nabla train cnn</c>'s default network in evaluation mode without gradients: the latency of
/// one image (the timed step) and, in the extras, the throughput at batch 256.</summary>
/// <remarks>Both libraries hold the same weights (Nabla's initialization copied into <see cref="TorchCnn"/>) and classify
/// the same random images; the extras report the largest logit difference between them as a check.</remarks>
internal sealed class CnnInferWorkload : IWorkload
{
    private const int Side = 28, Classes = 10, LargeBatch = 256;

    private Cnn? _model;
    private Tensor? _one, _many;
    private TorchCnn? _torchModel;
    private torch.Tensor? _torchOne, _torchMany;

    public string Id => "cnn_infer";

    public string Description => "CNN conv32-conv64-fc128-10, eval mode, no grad: batch-1 latency (batch-256 throughput in extra)";

    public int DefaultSteps => 2000;

    public void Setup(int threads, bool withTorch)
    {
        var generator = new Generator(4321);
        _model = new Cnn(Classes, generator: generator);
        _model.Eval();
        _one = Tensor.Randn([1, 1, Side, Side], generator: generator);
        _many = Tensor.Randn([LargeBatch, 1, Side, Side], generator: generator);
        if (!withTorch) return;

        _torchModel = new TorchCnn(Classes);
        TorchWeights.Copy(Id, _model, _torchModel);
        _torchModel.eval();
        _torchOne = torch.tensor(_one.ToArray<float>(), [1, 1, Side, Side]);
        _torchMany = torch.tensor(_many.ToArray<float>(), [LargeBatch, 1, Side, Side]);
    }

    public void NablaStep() => Nabla(_one!);

    public void TorchStep() => Torch(_torchOne!);

    public void AddExtras(WorkloadRun run)
    {
        var large = run.Measure(() => Nabla(_many!), () => Torch(_torchMany!), defaultSteps: 60);
        run.Extra["batch256_ms"] = large.Nabla.MedianMs;
        run.Extra["batch256_images_per_s"] = Math.Round(LargeBatch * 1000 / large.Nabla.MedianMs);
        if (large.Torch is not null)
        {
            run.Extra["torch_batch256_ms"] = large.Torch.MedianMs;
            run.Extra["torch_batch256_images_per_s"] = Math.Round(LargeBatch * 1000 / large.Torch.MedianMs);
            run.Extra["batch256_ratio"] = large.Ratio!.Value;   // not null: TorchSharp ran
            run.Extra["max_logit_difference"] = MaxLogitDifference();
        }
    }

    private float[] Nabla(Tensor x)
    {
        using var _ = Tensor.NoGrad();
        return _model!.Call(x).ToArray<float>();
    }

    private float[] Torch(torch.Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        return _torchModel!.call(x).data<float>().ToArray();
    }

    private double MaxLogitDifference()
    {
        float[] a = Nabla(_many!), b = Torch(_torchMany!);
        return a.Zip(b, (p, q) => Math.Abs(p - q)).Max();
    }

    public void Dispose()
    {
        _torchOne?.Dispose();
        _torchMany?.Dispose();
        _torchModel?.Dispose();
    }
}
