namespace Nabla.Optim;

/// <summary>A learning-rate scheduler whose state a checkpoint saves and restores (<c>scheduler.state_dict()</c> /
/// <c>load_state_dict</c>): <see cref="LrScheduler"/> and <see cref="ReduceLrOnPlateau"/>.</summary>
/// <remarks>The state is a few numbers under PyTorch's names ("last_epoch", "best", …). Loading restores the
/// scheduler's counters only; the optimizer's current rate comes back with the optimizer's own state dict, as in PyTorch.</remarks>
public interface IScheduler
{
    /// <summary>The scheduler's state, by name.</summary>
    IReadOnlyDictionary<string, double> StateDict();

    /// <summary>Restores a state from <see cref="StateDict"/>; checks every value before changing anything.</summary>
    /// <exception cref="ArgumentException">A name is missing or unexpected, or a value is out of range.</exception>
    void LoadStateDict(IReadOnlyDictionary<string, double> state);
}
