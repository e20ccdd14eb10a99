using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

// Loss functions (torch.nn.functional.*_loss), each a fused op with its own backward.
public static partial class Functional
{
    /// <summary>Cross-entropy between logits and targets, with a stable log-softmax over the class dim:
    /// lₙ = −Σ_c qₙ,c·log softmax(xₙ)_c (<c>F.cross_entropy</c>).</summary>
    /// <remarks>
    /// <paramref name="input"/>: logits [C], [N, C] or [N, C, d₁, …] (classes in dim 1). <paramref name="target"/>:
    /// class indices (int64 or int32) of shape [] / [N] / [N, d₁, …], or class probabilities of the input's shape and dtype.
    /// With indices, qₙ,c = (1 − ε)·w_c·[c = yₙ] + (ε/C)·w_c for label smoothing ε and class weights w (all 1 by default);
    /// targets equal to <paramref name="ignoreIndex"/> contribute 0, and <see cref="Reduction.Mean"/> divides by the sum
    /// of w_yₙ over the targets not ignored (NaN when all are ignored). With probabilities pₙ,c,
    /// qₙ,c = w_c·((1 − ε)·pₙ,c + ε/C) and the mean divides by the number of samples (N·d₁·…).
    /// <see cref="Reduction.None"/> returns [] / [N] / [N, d₁, …]. Gradients flow to the input and to probability
    /// targets, not to the weight.
    /// </remarks>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = -100,
        Reduction reduction = Reduction.Mean, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return CrossEntropyOp.Apply(input, target, weight, ignoreIndex, ToOp("CrossEntropy", reduction), labelSmoothing);
    }

    /// <summary>Negative log-likelihood of log-probabilities at class indices: lₙ = −w_yₙ·x_n,yₙ (<c>F.nll_loss</c>).</summary>
    /// <remarks>
    /// <paramref name="input"/>: log-probabilities [C], [N, C] or [N, C, d₁, …]; <paramref name="target"/>: class indices
    /// (int64 or int32) of shape [] / [N] / [N, d₁, …]. Targets equal to <paramref name="ignoreIndex"/> contribute 0;
    /// <see cref="Reduction.Mean"/> divides by Σ w_yₙ over the others. CrossEntropy(x, y) = NllLoss(x.LogSoftmax(1), y).
    /// </remarks>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return NllLossOp.Apply(input, target, weight, ignoreIndex, ToOp("NllLoss", reduction));
    }

    /// <summary>Squared error (xᵢ − yᵢ)², reduced (<c>F.mse_loss</c>).</summary>
    /// <remarks>Input and target broadcast together, as in PyTorch; both receive gradients.</remarks>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return PointwiseLossOp<SquaredError>.Apply(input, target, ToOp("MseLoss", reduction));
    }

    /// <summary>Absolute error |xᵢ − yᵢ|, reduced (<c>F.l1_loss</c>).</summary>
    /// <remarks>Input and target broadcast together; the gradient at xᵢ = yᵢ is 0, as in PyTorch.</remarks>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return PointwiseLossOp<AbsoluteError>.Apply(input, target, ToOp("L1Loss", reduction));
    }

    /// <summary>Smooth L1: ½d²/β where |d| &lt; β, else |d| − ½β, with d = x − y (<c>F.smooth_l1_loss</c>).</summary>
    /// <remarks>β = 0 is L1Loss; β must not be negative. Input and target broadcast together.</remarks>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!(beta >= 0)) throw new ArgumentOutOfRangeException(nameof(beta), beta, $"SmoothL1Loss: beta must be non-negative; got {beta}.");
        var r = ToOp("SmoothL1Loss", reduction);
        return beta == 0 ? PointwiseLossOp<AbsoluteError>.Apply(input, target, r) : PointwiseLossOp<SmoothL1Error>.Apply(input, target, r, beta);
    }

    /// <summary>Huber loss: ½d² where |d| &lt; δ, else δ·(|d| − ½δ), with d = x − y (<c>F.huber_loss</c>).</summary>
    /// <remarks>δ must be positive. Input and target broadcast together.</remarks>
    public static Tensor HuberLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, $"HuberLoss: delta must be positive; got {delta}.");
        return PointwiseLossOp<HuberError>.Apply(input, target, ToOp("HuberLoss", reduction), delta);
    }

    /// <summary>Binary cross-entropy of probabilities: lᵢ = −wᵢ·(yᵢ·ln xᵢ + (1 − yᵢ)·ln(1 − xᵢ)) (<c>F.binary_cross_entropy</c>).</summary>
    /// <remarks>
    /// <paramref name="input"/> holds probabilities in [0, 1] and <paramref name="target"/> values in [0, 1], of the same
    /// shape; each log is clamped at −100, as PyTorch does, so saturated inputs give a finite loss.
    /// <paramref name="weight"/> broadcasts to the input's shape. Prefer <see cref="BinaryCrossEntropyWithLogits"/> on
    /// raw scores: it is stable where σ saturates.
    /// </remarks>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return BinaryCrossEntropyOp.Apply(input, target, weight, ToOp("BinaryCrossEntropy", reduction));
    }

    /// <summary>Binary cross-entropy of σ(x) computed from the logits x in a stable form:
    /// lᵢ = wᵢ·((1 − yᵢ)·xᵢ − (1 + (pᵢ − 1)·yᵢ)·log σ(xᵢ)) (<c>F.binary_cross_entropy_with_logits</c>).</summary>
    /// <remarks>
    /// <paramref name="target"/> has the input's shape. <paramref name="weight"/> broadcasts to it;
    /// <paramref name="posWeight"/> p (the weight of positive examples, usually [C] for C classes in the last dim)
    /// does too. log σ(x) = min(x, 0) − ln(1 + e^(−|x|)) never overflows.
    /// </remarks>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null,
        Reduction reduction = Reduction.Mean, Tensor? posWeight = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return BinaryCrossEntropyWithLogitsOp.Apply(input, target, weight, posWeight, ToOp("BinaryCrossEntropyWithLogits", reduction));
    }

    private static LossReduction ToOp(string op, Reduction reduction) => reduction switch
    {
        Reduction.None => LossReduction.None,
        Reduction.Mean => LossReduction.Mean,
        Reduction.Sum => LossReduction.Sum,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{op}: reduction {(int)reduction} is not None, Mean or Sum."),
    };
}
