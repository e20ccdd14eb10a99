using Nabla.Benchmarks.Timing;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;
using TorchSharp;

namespace Nabla.Benchmarks.Workloads;

/// <summary>One training step of a small causal Transformer language model: vocabulary 1000, d_model 256, 8 heads,
/// feed-forward 1024, 2 post-norm ReLU encoder layers with dropout 0.1, sinusoidal positions, sequence 128, batch 16,
/// a linear head 256 → 1000, cross-entropy over every position, Adam (issue 4's <c>transformer</c> workload).</summary>
/// <remarks>
/// A step is forward, loss, zero_grad, backward, optimizer step on one fixed random batch (tokens uniform in the
/// vocabulary, targets the next tokens) shared by both libraries; TorchSharp's model (<see cref="TorchTransformerLm"/>)
/// starts from Nabla's initial weights. Nabla runs batch-first with <c>isCausal</c>; libtorch's encoder layer is
/// sequence-first and takes the float causal mask. Dropout draws its own masks in each library, so the losses agree
/// only roughly. <see cref="AddExtras"/> splits the step into its phases.
/// </remarks>
internal sealed class TransformerWorkload : IWorkload
{
    private const int Vocab = 1000, DModel = 256, Heads = 8, FeedForward = 1024, Layers = 2, Seq = 128, Batch = 16;
    private const double Dropout = 0.1, LearningRate = 1e-3;
    private const int PhaseBlocks = 3, PhaseBlockSteps = 3;

    private TransformerLm? _model;
    private Adam? _optimizer;
    private Tensor? _x, _y;

    private TorchTransformerLm? _torchModel;
    private torch.optim.Optimizer? _torchOptimizer;
    private torch.Tensor? _torchX, _torchY;

    private double? _nablaFirstLoss, _torchFirstLoss;

    public string Id => "transformer";

    public string Description => "Transformer LM: vocab 1000, d 256, 8 heads, ff 1024, 2 post-norm layers, seq 128, batch 16, Adam: one training step";

    public int DefaultSteps => 20;

    public bool TracksMemory => true;

    public void Setup(int threads, bool withTorch)
    {
        var generator = new Generator(1234);
        var tokens = Tensor.RandInt(0, Vocab, [Batch, Seq + 1], generator: generator);
        _x = tokens.Narrow(1, 0, Seq).Contiguous();                       // [N, T]
        var next = tokens.Narrow(1, 1, Seq).Contiguous();                 // [N, T], the targets
        _y = next.Reshape(Batch * Seq);
        _model = new TransformerLm(Vocab, DModel, Heads, FeedForward, Layers, Dropout, Seq, generator);
        _optimizer = new Adam(_model.Parameters(), lr: LearningRate);
        if (!withTorch) return;

        var table = SinusoidalPositionalEncoding.Table(Seq, DModel).ToArray<float>();
        _torchModel = new TorchTransformerLm(Vocab, DModel, Heads, FeedForward, Layers, Dropout, Seq, table);
        TorchWeights.Copy(Id, _model, _torchModel);
        _torchOptimizer = torch.optim.Adam(_torchModel.parameters(), lr: LearningRate);
        // libtorch's layers are sequence-first: the same tokens and targets, transposed to [T, N].
        _torchX = torch.tensor(_x.T.Contiguous().ToArray<long>(), [Seq, Batch]);
        _torchY = torch.tensor(next.T.Contiguous().ToArray<long>(), [Seq * Batch]);
    }

    public void NablaStep() => NablaStep(null);

    public void TorchStep() => TorchStep(null);

    public void AddExtras(WorkloadRun run)
    {
        ClassifierStep.AddPhases(run, NablaStep, TorchStep, PhaseBlocks, PhaseBlockSteps);
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
