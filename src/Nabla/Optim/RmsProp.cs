using System.Numerics;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>Options of <see cref="RmsProp"/>, with PyTorch's defaults.</summary>
public sealed record RmsPropOptions : OptimizerOptions
{
    /// <summary>Learning rate η.</summary>
    public override double LearningRate { get; init; } = 1e-2;
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
public sealed class RmsProp : Optimizer<RmsPropOptions>
{
    private readonly Dictionary<Parameter, RmsPropState> state = new(ReferenceEqualityComparer.Instance);

    /// <summary>One group with the given options.</summary>
    public RmsProp(IEnumerable<Parameter> parameters, RmsPropOptions? options = null)
        : this([new ParamGroup<RmsPropOptions>([.. parameters], options ?? new RmsPropOptions())]) { }

    /// <summary>One group with a learning rate.</summary>
    public RmsProp(IEnumerable<Parameter> parameters, double lr, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this(parameters, new RmsPropOptions { LearningRate = lr, Alpha = alpha, Eps = eps, WeightDecay = weightDecay, Momentum = momentum, Centered = centered }) { }

    /// <summary>Several groups, each with its own options.</summary>
    public RmsProp(IReadOnlyList<ParamGroup<RmsPropOptions>> groups) : base(groups, Validate) { }

    private static void Validate(RmsPropOptions o)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(o.LearningRate, "LearningRate");
        ArgumentOutOfRangeException.ThrowIfNegative(o.Eps, "Eps");
        ArgumentOutOfRangeException.ThrowIfNegative(o.Momentum, "Momentum");
        ArgumentOutOfRangeException.ThrowIfNegative(o.WeightDecay, "WeightDecay");
        if (o.Alpha is < 0 or > 1) throw new ArgumentOutOfRangeException("Alpha", o.Alpha, "RmsProp: alpha must be in [0, 1].");
    }

    /// <summary>The state of one parameter ("square_avg", "momentum_buffer", "grad_avg"), if updated.</summary>
    public RmsPropState? State(Parameter p) => state.GetValueOrDefault(p);

    /// <inheritdoc/>
    /// <remarks>Groups hold "lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize"; an updated
    /// parameter holds "step", "square_avg", with momentum "momentum_buffer", and when centered "grad_avg".</remarks>
    public override IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var w = new OptimizerStateWriter();
        foreach (var group in Groups)
        {
            int first = w.BeginGroup(group.Parameters.Count);
            var o = group.Options;
            w.Hyper("lr", o.LearningRate);
            w.Hyper("alpha", o.Alpha);
            w.Hyper("eps", o.Eps);
            w.Hyper("weight_decay", o.WeightDecay);
            w.Hyper("momentum", o.Momentum);
            w.Flag("centered", o.Centered);
            w.Flag("maximize", o.Maximize);
            for (int i = 0; i < group.Parameters.Count; i++)
            {
                if (State(group.Parameters[i]) is not { } s) continue;
                w.Step(first + i, s.Step);
                w.Buffer(first + i, "square_avg", s.SquareAvg);
                w.Buffer(first + i, "momentum_buffer", s.MomentumBuffer);
                w.Buffer(first + i, "grad_avg", s.GradAvg);
            }
        }
        return w.Result();
    }

    /// <inheritdoc/>
    protected override Action PrepareLoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var parameters = AllParameters().ToList();
        var r = new OptimizerStateReader("RmsProp", state, [.. Groups.Select(g => g.Parameters.Count)], parameters);
        var options = new RmsPropOptions[Groups.Count];
        var states = new Dictionary<Parameter, RmsPropState>(ReferenceEqualityComparer.Instance);
        int index = 0;
        for (int g = 0; g < Groups.Count; g++)
        {
            options[g] = Groups[g].Options with
            {
                LearningRate = r.Hyper(g, "lr"), Alpha = r.Hyper(g, "alpha"), Eps = r.Hyper(g, "eps"), WeightDecay = r.Hyper(g, "weight_decay"),
                Momentum = r.Hyper(g, "momentum"), Centered = r.Flag(g, "centered"), Maximize = r.Flag(g, "maximize"),
            };
            r.CheckGroup(g, () => Validate(options[g]));
            foreach (var p in Groups[g].Parameters)
            {
                if (r.HasState(index))
                {
                    states[p] = new RmsPropState(r.Buffer(index, "square_avg")!,   // required: never null
                        options[g].Momentum > 0 ? r.Buffer(index, "momentum_buffer") : null,
                        options[g].Centered ? r.Buffer(index, "grad_avg") : null) { Step = r.Step(index) };
                }
                index++;
            }
        }
        r.EnsureAllRead();
        return () =>
        {
            for (int g = 0; g < Groups.Count; g++) Groups[g].Options = options[g];
            this.state.Clear();
            foreach (var (p, s) in states) this.state[p] = s;
        };
    }

    /// <inheritdoc/>
    protected override void Update(Parameter p, Tensor grad, RmsPropOptions o)
    {
        if (!state.TryGetValue(p, out var s))
        {
            s = new RmsPropState(Tensor.Zeros(p.ShapeSpan, p.DType),
                o.Momentum > 0 ? Tensor.Zeros(p.ShapeSpan, p.DType) : null,
                o.Centered ? Tensor.Zeros(p.ShapeSpan, p.DType) : null);
            state[p] = s;
        }
        s.Step++;
        if (p.DType == DType.Float32)
            Update(p.Span<float>(), grad.Span<float>(), s.SquareAvg.Span<float>(), s.MomentumBuffer is null ? default : s.MomentumBuffer.Span<float>(), s.GradAvg is null ? default : s.GradAvg.Span<float>(), o);
        else
            Update(p.Span<double>(), grad.Span<double>(), s.SquareAvg.Span<double>(), s.MomentumBuffer is null ? default : s.MomentumBuffer.Span<double>(), s.GradAvg is null ? default : s.GradAvg.Span<double>(), o);
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
