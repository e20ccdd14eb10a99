namespace Nabla.Optim;

/// <summary>The base of learning-rate schedules (<c>torch.optim.lr_scheduler.LRScheduler</c>): each
/// <see cref="Step"/> advances the epoch (or step) counter and writes the new rate into the optimizer.</summary>
/// <remarks>Schedules are closed forms of the counter, so a schedule restored from <see cref="LastEpoch"/>
/// continues exactly. Construction sets the optimizer to the rate of step 0, as PyTorch does.</remarks>
public abstract class LrScheduler : IScheduler
{
    /// <summary>Attaches the schedule to <paramref name="optimizer"/>, whose current rate becomes the base rate.</summary>
    protected LrScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
        BaseLr = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose rate is scheduled.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The rate at step 0.</summary>
    public double BaseLr { get; private set; }

    /// <summary>How many times <see cref="Step"/> has run ("last_epoch").</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The rate most recently written (<c>get_last_lr()</c>).</summary>
    public double LastLr => Optimizer.LearningRate;

    /// <summary>The rate at step <paramref name="epoch"/>.</summary>
    public abstract double LrAt(int epoch);

    /// <summary>Advances one step and applies the new rate.</summary>
    public virtual void Step()
    {
        LastEpoch++;
        Optimizer.LearningRate = LrAt(LastEpoch);
    }

    /// <summary>Jumps to a saved counter (checkpoint resume) and applies its rate.</summary>
    public void Restore(int lastEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastEpoch);
        LastEpoch = lastEpoch;
        Optimizer.LearningRate = LrAt(lastEpoch);
    }

    /// <inheritdoc/>
    /// <remarks>"last_epoch" (<see cref="LastEpoch"/>) and "base_lr" (<see cref="BaseLr"/>; PyTorch's "base_lrs" holds one per group).</remarks>
    public IReadOnlyDictionary<string, double> StateDict() => new Dictionary<string, double>
    {
        ["last_epoch"] = LastEpoch,
        ["base_lr"] = BaseLr,
    };

    /// <inheritdoc/>
    /// <remarks>As PyTorch's, this restores the counter and base rate but leaves the optimizer's current rate to the
    /// optimizer's own state dict; <see cref="Restore"/> sets both.</remarks>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        var r = new SchedulerStateReader(GetType().Name, state, "last_epoch", "base_lr");
        (int lastEpoch, double baseLr) = (r.Count("last_epoch"), r.Rate("base_lr"));
        (LastEpoch, BaseLr) = (lastEpoch, baseLr);
    }

    /// <summary>Sets the optimizer to the rate of step 0; subclasses call it at the end of their constructor.</summary>
    protected void Start() => Optimizer.LearningRate = LrAt(0);
}
