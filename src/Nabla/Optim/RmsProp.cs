using System.Numerics;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>Options of <see cref="RmsProp"/>, with PyTorch's defaults.</summary>
public sealed record RmsPropOptions
{
    /// <summary>Learning rate η.</summary>
    public double LearningRate { get; init; } = 1e-2;
    /// <summary>Smoothing constant α of the squared-gradient average.</summary>
    public double Alpha { get; init; } = 0.99;
    /// <summary>ε added to the denominator.</summary>
    public double Eps { get; init; } = 1e-8;
    /// <summary>L2 penalty λ added to the gradient.</summary>
    public double WeightDecay { get; init; }
    /// <summary>Momentum μ (0 disables).</summary>
    public double Momentum { get; init; }
    /// <summary>Normalize by the estimated variance (subtract the squared mean gradient) instead of the raw second moment.</summary>
    public bool Centered { get; init; }
    /// <summary>Maximize the objective.</summary>
    public bool Maximize { get; init; }
}

/// <summary>RMSprop (Hinton, 2012 lecture 6e), as <c>torch.optim.RMSprop</c>.</summary>
/// <remarks>
/// g ← ∇ + λθ;  v ← αv + (1−α)g²;  centered: ḡ ← αḡ + (1−α)g, d = √(v − ḡ²) + ε, else d = √v + ε;
/// with momentum: b ← μb + g/d, θ ← θ − ηb; else θ ← θ − ηg/d.
/// </remarks>
public sealed class RmsProp : Optimizer
{
    private readonly Dictionary<Parameter, RmsPropState> state = new(ReferenceEqualityComparer.Instance);

    /// <summary>The parameter groups.</summary>
    public IReadOnlyList<ParamGroup<RmsPropOptions>> Groups { get; }

    /// <summary>One group with the given options.</summary>
    public RmsProp(IEnumerable<Parameter> parameters, RmsPropOptions? options = null)
        : this([new ParamGroup<RmsPropOptions>([.. parameters], options ?? new RmsPropOptions())]) { }

    /// <summary>One group with a learning rate.</summary>
    public RmsProp(IEnumerable<Parameter> parameters, double lr, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this(parameters, new RmsPropOptions { LearningRate = lr, Alpha = alpha, Eps = eps, WeightDecay = weightDecay, Momentum = momentum, Centered = centered }) { }

    /// <summary>Several groups, each with its own options.</summary>
    public RmsProp(IReadOnlyList<ParamGroup<RmsPropOptions>> groups)
    {
        foreach (var g in groups)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(g.Options.LearningRate, "LearningRate");
            ArgumentOutOfRangeException.ThrowIfNegative(g.Options.Eps, "Eps");
            ArgumentOutOfRangeException.ThrowIfNegative(g.Options.Momentum, "Momentum");
            ArgumentOutOfRangeException.ThrowIfNegative(g.Options.WeightDecay, "WeightDecay");
            if (g.Options.Alpha is < 0 or > 1) throw new ArgumentOutOfRangeException("Alpha", g.Options.Alpha, "RmsProp: alpha must be in [0, 1].");
        }
        Groups = groups;
    }

    /// <inheritdoc/>
    public override double LearningRate
    {
        get => Groups[0].Options.LearningRate;
        set { foreach (var g in Groups) g.Options = g.Options with { LearningRate = value }; }
    }

    /// <inheritdoc/>
    public override IEnumerable<Parameter> AllParameters() => Groups.SelectMany(g => g.Parameters);

    /// <summary>The state of one parameter ("square_avg", "momentum_buffer", "grad_avg"), if updated.</summary>
    public RmsPropState? State(Parameter p) => state.GetValueOrDefault(p);

    /// <inheritdoc/>
    public override void Step()
    {
        using var _ = Tensor.NoGrad();
        foreach (var group in Groups)
        {
            var o = group.Options;
            foreach (var p in group.Parameters)
            {
                if (p.Grad is null) continue;
                CheckGradient("RmsProp", p, p.Grad);
                if (!state.TryGetValue(p, out var s))
                {
                    s = new RmsPropState(Tensor.Zeros(p.ShapeSpan, p.DType),
                        o.Momentum > 0 ? Tensor.Zeros(p.ShapeSpan, p.DType) : null,
                        o.Centered ? Tensor.Zeros(p.ShapeSpan, p.DType) : null);
                    state[p] = s;
                }
                s.Step++;
                var grad = p.Grad.ContiguousRaw();
                if (p.DType == DType.Float32)
                    Update(p.Span<float>(), grad.Span<float>(), s.SquareAvg.Span<float>(), s.MomentumBuffer is null ? default : s.MomentumBuffer.Span<float>(), s.GradAvg is null ? default : s.GradAvg.Span<float>(), o);
                else
                    Update(p.Span<double>(), grad.Span<double>(), s.SquareAvg.Span<double>(), s.MomentumBuffer is null ? default : s.MomentumBuffer.Span<double>(), s.GradAvg is null ? default : s.GradAvg.Span<double>(), o);
                p.Storage.Version++;
            }
        }
    }

    private static void Update<T>(Span<T> theta, ReadOnlySpan<T> grad, Span<T> v, Span<T> buf, Span<T> gAvg, RmsPropOptions o)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(o.Alpha), oneMinusAlpha = T.One - alpha;
        T lr = T.CreateTruncating(o.LearningRate), eps = T.CreateTruncating(o.Eps);
        T wd = T.CreateTruncating(o.WeightDecay), mu = T.CreateTruncating(o.Momentum);
        T sign = o.Maximize ? -T.One : T.One;
        for (int i = 0; i < theta.Length; i++)
        {
            T g = sign * grad[i] + wd * theta[i];
            v[i] = alpha * v[i] + oneMinusAlpha * g * g;             // running mean of g²
            T avg;
            if (!gAvg.IsEmpty)
            {
                gAvg[i] = alpha * gAvg[i] + oneMinusAlpha * g;       // running mean of g
                avg = T.Sqrt(v[i] - gAvg[i] * gAvg[i]) + eps;
            }
            else avg = T.Sqrt(v[i]) + eps;
            if (!buf.IsEmpty)
            {
                buf[i] = mu * buf[i] + g / avg;
                theta[i] -= lr * buf[i];
            }
            else theta[i] -= lr * g / avg;
        }
    }
}

/// <summary>RMSprop's per-parameter state, named as in PyTorch.</summary>
public sealed class RmsPropState(Tensor squareAvg, Tensor? momentumBuffer, Tensor? gradAvg)
{
    /// <summary>Number of updates applied ("step").</summary>
    public long Step { get; internal set; }
    /// <summary>Running mean of g² ("square_avg").</summary>
    public Tensor SquareAvg { get; } = squareAvg;
    /// <summary>Momentum buffer ("momentum_buffer").</summary>
    public Tensor? MomentumBuffer { get; } = momentumBuffer;
    /// <summary>Running mean of g for the centered variant ("grad_avg").</summary>
    public Tensor? GradAvg { get; } = gradAvg;
}
