using System.Numerics;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>Options of <see cref="Sgd"/>, with PyTorch's defaults (lr has none in PyTorch; 1e-3 here).</summary>
public sealed record SgdOptions : OptimizerOptions
{
    /// <summary>Learning rate η.</summary>
    public override double LearningRate { get; init; } = 1e-3;
    /// <summary>Momentum μ (0 disables).</summary>
    public double Momentum { get; init; }
    /// <summary>Dampening τ of the momentum update.</summary>
    public double Dampening { get; init; }
    /// <summary>L2 penalty λ added to the gradient.</summary>
    public double WeightDecay { get; init; }
    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; init; }
    /// <summary>Maximize the objective instead of minimizing it.</summary>
    public bool Maximize { get; init; }
}

/// <summary>Stochastic gradient descent with momentum (<c>torch.optim.SGD</c>).</summary>
/// <remarks>
/// g ← ∇ + λθ;  with momentum: b ← g on the first step, else b ← μb + (1−τ)g; then g ← g + μb (Nesterov) or g ← b;
/// θ ← θ − ηg. As PyTorch's SGD (Sutskever et al., 2013 formulation of momentum).
/// </remarks>
public sealed class Sgd : Optimizer<SgdOptions>
{
    private readonly Dictionary<Parameter, Tensor> momentumBuffers = new(ReferenceEqualityComparer.Instance);

    /// <summary>One group with the given options.</summary>
    public Sgd(IEnumerable<Parameter> parameters, SgdOptions? options = null)
        : this([new ParamGroup<SgdOptions>([.. parameters], options ?? new SgdOptions())]) { }

    /// <summary>One group: learning rate and momentum given directly.</summary>
    public Sgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : this(parameters, new SgdOptions { LearningRate = lr, Momentum = momentum, WeightDecay = weightDecay, Nesterov = nesterov }) { }

    /// <summary>Several groups, each with its own options.</summary>
    public Sgd(IReadOnlyList<ParamGroup<SgdOptions>> groups) : base(groups, Validate) { }

    private static void Validate(SgdOptions o)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(o.LearningRate, "LearningRate");
        ArgumentOutOfRangeException.ThrowIfNegative(o.Momentum, "Momentum");
        ArgumentOutOfRangeException.ThrowIfNegative(o.WeightDecay, "WeightDecay");
        if (o.Nesterov && (o.Momentum <= 0 || o.Dampening != 0))
            throw new ArgumentException("Sgd: Nesterov momentum requires a momentum and zero dampening.");
    }

    /// <summary>The momentum buffer of a parameter, if any (state "momentum_buffer").</summary>
    public Tensor? MomentumBuffer(Parameter p) => momentumBuffers.GetValueOrDefault(p);

    /// <inheritdoc/>
    /// <remarks>Groups hold "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"; a parameter updated
    /// with momentum holds "momentum_buffer".</remarks>
    public override IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var w = new OptimizerStateWriter();
        foreach (var group in Groups)
        {
            int first = w.BeginGroup(group.Parameters.Count);
            var o = group.Options;
            w.Hyper("lr", o.LearningRate);
            w.Hyper("momentum", o.Momentum);
            w.Hyper("dampening", o.Dampening);
            w.Hyper("weight_decay", o.WeightDecay);
            w.Flag("nesterov", o.Nesterov);
            w.Flag("maximize", o.Maximize);
            for (int i = 0; i < group.Parameters.Count; i++) w.Buffer(first + i, "momentum_buffer", MomentumBuffer(group.Parameters[i]));
        }
        return w.Result();
    }

    /// <inheritdoc/>
    protected override Action PrepareLoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var parameters = AllParameters().ToList();
        var r = new OptimizerStateReader("Sgd", state, [.. Groups.Select(g => g.Parameters.Count)], parameters);
        var options = new SgdOptions[Groups.Count];
        var buffers = new Dictionary<Parameter, Tensor>(ReferenceEqualityComparer.Instance);
        int index = 0;
        for (int g = 0; g < Groups.Count; g++)
        {
            options[g] = Groups[g].Options with
            {
                LearningRate = r.Hyper(g, "lr"), Momentum = r.Hyper(g, "momentum"), Dampening = r.Hyper(g, "dampening"),
                WeightDecay = r.Hyper(g, "weight_decay"), Nesterov = r.Flag(g, "nesterov"), Maximize = r.Flag(g, "maximize"),
            };
            r.CheckGroup(g, () => Validate(options[g]));
            foreach (var p in Groups[g].Parameters)
            {
                // Without momentum PyTorch keeps momentum_buffer None, which a flat dict cannot hold: the key is absent.
                if (options[g].Momentum != 0 && r.Buffer(index, "momentum_buffer", required: false) is { } buffer) buffers[p] = buffer;
                index++;
            }
        }
        r.EnsureAllRead();
        return () =>
        {
            for (int g = 0; g < Groups.Count; g++) Groups[g].Options = options[g];
            momentumBuffers.Clear();
            foreach (var (p, b) in buffers) momentumBuffers[p] = b;
        };
    }

    /// <inheritdoc/>
    protected override void Update(Parameter p, Tensor grad, SgdOptions o)
    {
        Tensor? buf = null;
        bool first = false;
        if (o.Momentum != 0 && !momentumBuffers.TryGetValue(p, out buf))
        {
            buf = Tensor.Zeros(p.ShapeSpan, p.DType);
            momentumBuffers[p] = buf;
            first = true;
        }
        if (p.DType == DType.Float32) Update(p.Span<float>(), grad.Span<float>(), buf is null ? default : buf.Span<float>(), o, first);
        else Update(p.Span<double>(), grad.Span<double>(), buf is null ? default : buf.Span<double>(), o, first);
    }

    private static void Update<T>(Span<T> theta, ReadOnlySpan<T> grad, Span<T> buf, SgdOptions o, bool first) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lr = T.CreateTruncating(o.LearningRate), mu = T.CreateTruncating(o.Momentum);
        T wd = T.CreateTruncating(o.WeightDecay), damp = T.One - T.CreateTruncating(o.Dampening);
        T sign = o.Maximize ? -T.One : T.One;
        for (int i = 0; i < theta.Length; i++)
        {
            T g = sign * grad[i] + wd * theta[i];
            if (!buf.IsEmpty)
            {
                buf[i] = first ? g : mu * buf[i] + damp * g;
                g = o.Nesterov ? g + mu * buf[i] : buf[i];
            }
            theta[i] -= lr * g;
        }
    }
}
