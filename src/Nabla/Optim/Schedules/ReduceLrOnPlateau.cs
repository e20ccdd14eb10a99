namespace Nabla.Optim;

/// <summary>Multiplies the rate by <c>factor</c> when a metric stops improving for <c>patience</c> epochs
/// (<c>ReduceLROnPlateau</c>, mode "min" or "max", relative threshold).</summary>
public sealed class ReduceLrOnPlateau : IScheduler
{
    private readonly Optimizer optimizer;
    private readonly bool maximize;
    private readonly double factor, threshold, minLr;
    private readonly int patience, cooldown;
    private int cooldownLeft;

    /// <summary>Creates the scheduler with PyTorch's defaults.</summary>
    public ReduceLrOnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, int patience = 10,
        double threshold = 1e-4, int cooldown = 0, double minLr = 0)
    {
        if (mode is not ("min" or "max")) throw new ArgumentException($"ReduceLrOnPlateau: mode must be \"min\" or \"max\"; got \"{mode}\".", nameof(mode));
        if (factor is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLrOnPlateau: factor must be in (0, 1).");
        this.optimizer = optimizer;
        maximize = mode == "max";
        (this.factor, this.patience, this.threshold, this.cooldown, this.minLr) = (factor, patience, threshold, cooldown, minLr);
        Best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>The best metric seen.</summary>
    public double Best { get; private set; }

    /// <summary>Epochs since the last improvement.</summary>
    public int BadEpochs { get; private set; }

    /// <summary>Epochs left in the cooldown after a reduction, during which bad epochs are not counted.</summary>
    public int CooldownCounter => cooldownLeft;

    /// <inheritdoc/>
    /// <remarks>"best" (<see cref="Best"/>, ±∞ before the first metric), "num_bad_epochs" (<see cref="BadEpochs"/>) and
    /// "cooldown_counter" (<see cref="CooldownCounter"/>), PyTorch's names; the rate itself is the optimizer's state.</remarks>
    public IReadOnlyDictionary<string, double> StateDict() => new Dictionary<string, double>
    {
        ["best"] = Best,
        ["num_bad_epochs"] = BadEpochs,
        ["cooldown_counter"] = cooldownLeft,
    };

    /// <inheritdoc/>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        var r = new SchedulerStateReader(nameof(ReduceLrOnPlateau), state, "best", "num_bad_epochs", "cooldown_counter");
        (double best, int bad, int cooldownCounter) = (r.Number("best"), r.Count("num_bad_epochs"), r.Count("cooldown_counter"));
        (Best, BadEpochs, cooldownLeft) = (best, bad, cooldownCounter);
    }

    /// <summary>Records this epoch's metric and reduces the rate if it has plateaued.</summary>
    public void Step(double metric)
    {
        bool better = maximize ? metric > Best * (1 + threshold) : metric < Best * (1 - threshold);   // PyTorch's "rel" threshold mode
        if (double.IsInfinity(Best)) better = true;
        if (better) { Best = metric; BadEpochs = 0; }
        else BadEpochs++;
        if (cooldownLeft > 0) { cooldownLeft--; BadEpochs = 0; }
        if (BadEpochs > patience)
        {
            optimizer.LearningRate = Math.Max(optimizer.LearningRate * factor, minLr);
            cooldownLeft = cooldown;
            BadEpochs = 0;
        }
    }
}
