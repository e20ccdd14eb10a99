using System.Numerics;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>Options of <see cref="Adam"/>, with PyTorch's defaults.</summary>
public sealed record AdamOptions : OptimizerOptions
{
    /// <summary>Learning rate η.</summary>
    public override double LearningRate { get; init; } = 1e-3;
    /// <summary>β₁, the decay of the first moment.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>β₂, the decay of the second moment.</summary>
    public double Beta2 { get; init; } = 0.999;
    /// <summary>ε added to the denominator.</summary>
    public double Eps { get; init; } = 1e-8;
    /// <summary>L2 penalty λ added to the gradient (Adam) — AdamW decays the weights directly instead.</summary>
    public double WeightDecay { get; init; }
    /// <summary>Use the running maximum of the second moment (AMSGrad, Reddi et al., 2018).</summary>
    public bool AmsGrad { get; init; }
    /// <summary>Maximize the objective.</summary>
    public bool Maximize { get; init; }
    /// <summary>Decay the weights directly, θ ← θ(1 − ηλ), instead of adding λθ to the gradient (AdamW,
    /// Loshchilov and Hutter, 2019; <c>decoupled_weight_decay</c> in PyTorch's Adam).</summary>
    public bool DecoupledWeightDecay { get; init; }
}

/// <summary>Adam (Kingma and Ba, 2015), as <c>torch.optim.Adam</c>.</summary>
/// <remarks>
/// g ← ∇ + λθ (or, decoupled, θ ← θ(1 − ηλ));  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ) (or its running max);
/// θ ← θ − η·m̂/(√v̂ + ε).
/// </remarks>
public sealed class Adam : Optimizer<AdamOptions>
{
    private readonly Dictionary<Parameter, AdamState> state = new(ReferenceEqualityComparer.Instance);

    /// <summary>One group with the given options.</summary>
    public Adam(IEnumerable<Parameter> parameters, AdamOptions? options = null)
        : this([new ParamGroup<AdamOptions>([.. parameters], options ?? new AdamOptions())]) { }

    /// <summary>One group with a learning rate.</summary>
    public Adam(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(parameters, new AdamOptions { LearningRate = lr, Beta1 = beta1, Beta2 = beta2, Eps = eps, WeightDecay = weightDecay }) { }

    /// <summary>Several groups, each with its own options.</summary>
    public Adam(IReadOnlyList<ParamGroup<AdamOptions>> groups) : base(groups, Validate) { }

    private static void Validate(AdamOptions o)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(o.LearningRate, "LearningRate");
        ArgumentOutOfRangeException.ThrowIfNegative(o.Eps, "Eps");
        ArgumentOutOfRangeException.ThrowIfNegative(o.WeightDecay, "WeightDecay");
        if (o.Beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException("Beta1", o.Beta1, "Adam: beta1 must be in [0, 1).");
        if (o.Beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException("Beta2", o.Beta2, "Adam: beta2 must be in [0, 1).");
    }

    /// <summary>The state of one parameter ("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), if it has been updated.</summary>
    public AdamState? State(Parameter p) => state.GetValueOrDefault(p);

    /// <inheritdoc/>
    /// <remarks>Groups hold "lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay"; an
    /// updated parameter holds "step", "exp_avg", "exp_avg_sq" and, with AMSGrad, "max_exp_avg_sq".</remarks>
    public override IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var w = new OptimizerStateWriter();
        foreach (var group in Groups)
        {
            int first = w.BeginGroup(group.Parameters.Count);
            var o = group.Options;
            w.Hyper("lr", o.LearningRate);
            w.Pair("betas", o.Beta1, o.Beta2);
            w.Hyper("eps", o.Eps);
            w.Hyper("weight_decay", o.WeightDecay);
            w.Flag("amsgrad", o.AmsGrad);
            w.Flag("maximize", o.Maximize);
            w.Flag("decoupled_weight_decay", o.DecoupledWeightDecay);
            for (int i = 0; i < group.Parameters.Count; i++)
            {
                if (State(group.Parameters[i]) is not { } s) continue;
                w.Step(first + i, s.Step);
                w.Buffer(first + i, "exp_avg", s.ExpAvg);
                w.Buffer(first + i, "exp_avg_sq", s.ExpAvgSq);
                w.Buffer(first + i, "max_exp_avg_sq", s.MaxExpAvgSq);
            }
        }
        return w.Result();
    }

    /// <inheritdoc/>
    protected override Action PrepareLoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var parameters = AllParameters().ToList();
        var r = new OptimizerStateReader("Adam", state, [.. Groups.Select(g => g.Parameters.Count)], parameters);
        var options = new AdamOptions[Groups.Count];
        var states = new Dictionary<Parameter, AdamState>(ReferenceEqualityComparer.Instance);
        int index = 0;
        for (int g = 0; g < Groups.Count; g++)
        {
            var (beta1, beta2) = r.Pair(g, "betas");
            options[g] = Groups[g].Options with
            {
                LearningRate = r.Hyper(g, "lr"), Beta1 = beta1, Beta2 = beta2, Eps = r.Hyper(g, "eps"), WeightDecay = r.Hyper(g, "weight_decay"),
                AmsGrad = r.Flag(g, "amsgrad"), Maximize = r.Flag(g, "maximize"), DecoupledWeightDecay = r.Flag(g, "decoupled_weight_decay"),
            };
            r.CheckGroup(g, () => Validate(options[g]));
            foreach (var p in Groups[g].Parameters)
            {
                if (r.HasState(index))
                {
                    var s = new AdamState(r.Buffer(index, "exp_avg")!, r.Buffer(index, "exp_avg_sq")!,   // required: never null
                        options[g].AmsGrad ? r.Buffer(index, "max_exp_avg_sq") : null) { Step = r.Step(index) };
                    states[p] = s;
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
    protected override void Update(Parameter p, Tensor grad, AdamOptions o)
    {
        if (!state.TryGetValue(p, out var s))
        {
            s = new AdamState(Tensor.Zeros(p.ShapeSpan, p.DType), Tensor.Zeros(p.ShapeSpan, p.DType),
                o.AmsGrad ? Tensor.Zeros(p.ShapeSpan, p.DType) : null);
            state[p] = s;
        }
        s.Step++;
        if (p.DType == DType.Float32)
            Update(p.Span<float>(), grad.Span<float>(), s.ExpAvg.Span<float>(), s.ExpAvgSq.Span<float>(), s.MaxExpAvgSq is null ? default : s.MaxExpAvgSq.Span<float>(), o, s.Step);
        else
            Update(p.Span<double>(), grad.Span<double>(), s.ExpAvg.Span<double>(), s.ExpAvgSq.Span<double>(), s.MaxExpAvgSq is null ? default : s.MaxExpAvgSq.Span<double>(), o, s.Step);
    }

    private static void Update<T>(Span<T> theta, ReadOnlySpan<T> grad, Span<T> m, Span<T> v, Span<T> vMax, AdamOptions o, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b1 = T.CreateTruncating(o.Beta1), b2 = T.CreateTruncating(o.Beta2);
        T oneMinusB1 = T.One - b1, oneMinusB2 = T.One - b2;
        T bias1 = T.One - T.CreateTruncating(Math.Pow(o.Beta1, step));               // bias_k = 1 − β_k^t
        T bias2Sqrt = T.CreateTruncating(Math.Sqrt(1 - Math.Pow(o.Beta2, step)));
        T stepSize = T.CreateTruncating(o.LearningRate) / bias1;
        T eps = T.CreateTruncating(o.Eps), wd = T.CreateTruncating(o.WeightDecay);
        T sign = o.Maximize ? -T.One : T.One;
        bool ams = !vMax.IsEmpty;
        if (o.DecoupledWeightDecay && wd != T.Zero)
        {
            T decay = T.One - T.CreateTruncating(o.LearningRate) * wd;   // θ ← θ(1 − ηλ)
            for (int j = 0; j < theta.Length; j++) theta[j] *= decay;
            wd = T.Zero;
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated && !ams && wd == T.Zero && !o.Maximize && typeof(T) == typeof(float))
        {
            // Vectorized float32 path: the common case (no decay, no AMSGrad).
            var th = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(theta);
            var gr = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(grad);
            var mm = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(m);
            var vv = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(v);
            var vb1 = new Vector<float>(float.CreateTruncating(b1)); var vb2 = new Vector<float>(float.CreateTruncating(b2));
            var v1b1 = new Vector<float>(float.CreateTruncating(oneMinusB1)); var v1b2 = new Vector<float>(float.CreateTruncating(oneMinusB2));
            var vss = new Vector<float>(float.CreateTruncating(stepSize)); var vbs = new Vector<float>(float.CreateTruncating(bias2Sqrt));
            var veps = new Vector<float>(float.CreateTruncating(eps));
            int w = Vector<float>.Count;
            for (; i <= th.Length - w; i += w)
            {
                var g = new Vector<float>(gr.Slice(i, w));
                var mv = vb1 * new Vector<float>(mm.Slice(i, w)) + v1b1 * g;   // first moment
                var sv = vb2 * new Vector<float>(vv.Slice(i, w)) + v1b2 * g * g; // second moment
                mv.CopyTo(mm.Slice(i, w));
                sv.CopyTo(vv.Slice(i, w));
                var denom = Vector.SquareRoot(sv) / vbs + veps;
                (new Vector<float>(th.Slice(i, w)) - vss * mv / denom).CopyTo(th.Slice(i, w));
            }
        }
        for (; i < theta.Length; i++)
        {
            T g = sign * grad[i] + wd * theta[i];
            m[i] = b1 * m[i] + oneMinusB1 * g;           // first moment
            v[i] = b2 * v[i] + oneMinusB2 * g * g;       // second moment
            T vHat = v[i];
            if (ams) { vMax[i] = T.Max(vMax[i], v[i]); vHat = vMax[i]; }
            theta[i] -= stepSize * m[i] / (T.Sqrt(vHat) / bias2Sqrt + eps);
        }
    }
}

/// <summary>Adam's per-parameter state, named as in PyTorch's optimizer state dict.</summary>
public sealed class AdamState(Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq)
{
    /// <summary>Number of updates applied ("step").</summary>
    public long Step { get; internal set; }
    /// <summary>First moment m ("exp_avg").</summary>
    public Tensor ExpAvg { get; } = expAvg;
    /// <summary>Second moment v ("exp_avg_sq").</summary>
    public Tensor ExpAvgSq { get; } = expAvgSq;
    /// <summary>Running max of v for AMSGrad ("max_exp_avg_sq").</summary>
    public Tensor? MaxExpAvgSq { get; } = maxExpAvgSq;
}
