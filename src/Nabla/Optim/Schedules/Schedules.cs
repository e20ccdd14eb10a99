namespace Nabla.Optim;

/// <summary>η·γ^⌊t/stepSize⌋ (<c>StepLR</c>).</summary>
public sealed class StepLr : LrScheduler
{
    private readonly int stepSize;
    private readonly double gamma;

    /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> steps.</summary>
    public StepLr(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        (this.stepSize, this.gamma) = (stepSize, gamma);
        Start();
    }

    /// <inheritdoc/>
    public override double LrAt(int epoch) => BaseLr * Math.Pow(gamma, epoch / stepSize);
}

/// <summary>η·γ^(number of milestones ≤ t) (<c>MultiStepLR</c>).</summary>
public sealed class MultiStepLr : LrScheduler
{
    private readonly int[] milestones;
    private readonly double gamma;

    /// <summary>Decays by <paramref name="gamma"/> at each milestone.</summary>
    public MultiStepLr(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1) : base(optimizer)
    {
        this.milestones = [.. milestones.Order()];
        this.gamma = gamma;
        Start();
    }

    /// <inheritdoc/>
    public override double LrAt(int epoch) => BaseLr * Math.Pow(gamma, milestones.Count(m => m <= epoch));
}

/// <summary>η·γᵗ (<c>ExponentialLR</c>).</summary>
public sealed class ExponentialLr : LrScheduler
{
    private readonly double gamma;

    /// <summary>Decays by <paramref name="gamma"/> every step.</summary>
    public ExponentialLr(Optimizer optimizer, double gamma) : base(optimizer)
    {
        this.gamma = gamma;
        Start();
    }

    /// <inheritdoc/>
    public override double LrAt(int epoch) => BaseLr * Math.Pow(gamma, epoch);
}

/// <summary>η_min + (η − η_min)(1 + cos(πt/T))/2 (<c>CosineAnnealingLR</c>, the closed form of SGDR without restarts).</summary>
public sealed class CosineAnnealingLr : LrScheduler
{
    private readonly int tMax;
    private readonly double etaMin;

    /// <summary>Anneals from the base rate to <paramref name="etaMin"/> over <paramref name="tMax"/> steps.</summary>
    public CosineAnnealingLr(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tMax, 1);
        (this.tMax, this.etaMin) = (tMax, etaMin);
        Start();
    }

    /// <inheritdoc/>
    public override double LrAt(int epoch) => etaMin + (BaseLr - etaMin) * (1 + Math.Cos(Math.PI * epoch / tMax)) / 2;
}

/// <summary>Linear warm-up: η·f(t), f going linearly from startFactor to endFactor over totalIters steps, then
/// constant (<c>LinearLR</c>).</summary>
public sealed class LinearLr : LrScheduler
{
    private readonly double startFactor, endFactor;
    private readonly int totalIters;

    /// <summary>Creates the warm-up (PyTorch's defaults: 1/3 → 1 over 5 steps).</summary>
    public LinearLr(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5) : base(optimizer)
    {
        if (startFactor is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "LinearLr: startFactor must be in (0, 1].");
        ArgumentOutOfRangeException.ThrowIfLessThan(totalIters, 1);
        (this.startFactor, this.endFactor, this.totalIters) = (startFactor, endFactor, totalIters);
        Start();
    }

    /// <inheritdoc/>
    public override double LrAt(int epoch) =>
        BaseLr * (startFactor + (endFactor - startFactor) * Math.Min(epoch, totalIters) / totalIters);
}

/// <summary>The one-cycle policy (Smith and Topin, 2018; <c>OneCycleLR</c>, cosine annealing, two phases): from
/// maxLr/divFactor up to maxLr over pctStart of the steps, then down to maxLr/(divFactor·finalDivFactor).</summary>
/// <remarks>Call <see cref="LrScheduler.Step"/> after every batch. The optimizer's own rate is ignored.</remarks>
public sealed class OneCycleLr : LrScheduler
{
    private readonly double maxLr, initialLr, minLr;
    private readonly int totalSteps;
    private readonly double phaseEnd;

    /// <summary>Creates the schedule over <paramref name="totalSteps"/> steps.</summary>
    public OneCycleLr(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 2);
        if (pctStart is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "OneCycleLr: pctStart must be in (0, 1).");
        (this.maxLr, this.totalSteps) = (maxLr, totalSteps);
        initialLr = maxLr / divFactor;
        minLr = initialLr / finalDivFactor;
        phaseEnd = pctStart * totalSteps - 1;
        Start();
    }

    /// <inheritdoc/>
    public override double LrAt(int epoch)
    {
        if (epoch > totalSteps) throw new InvalidOperationException($"OneCycleLr: stepped {epoch} times but the schedule has {totalSteps} steps.");
        static double Cos(double start, double end, double pct) => end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1);
        if (epoch <= phaseEnd) return Cos(initialLr, maxLr, epoch / phaseEnd);
        return Cos(maxLr, minLr, (epoch - phaseEnd) / (totalSteps - 1 - phaseEnd));
    }
}
