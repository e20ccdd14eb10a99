using Nabla.Optim;

namespace Nabla.Cli.Training;

/// <summary>The library's scheduler for a <see cref="LearningRateSchedule"/>, stepped once per optimizer step.</summary>
internal static class LearningRates
{
    /// <summary>The factor of the step schedule at each epoch's end.</summary>
    public const double StepGamma = 0.7;

    /// <summary>The option values, in the order help lists them.</summary>
    public static readonly string[] Names = ["cosine", "constant", "step", "onecycle"];

    /// <summary>The scheduler that drives <paramref name="optimizer"/> over <paramref name="totalSteps"/> steps of
    /// <paramref name="stepsPerEpoch"/> per epoch, or null for a constant rate. The optimizer's rate is the base (peak) rate.</summary>
    public static LrScheduler? Create(LearningRateSchedule schedule, Optimizer optimizer, long totalSteps, int stepsPerEpoch)
    {
        int steps = (int)Math.Clamp(totalSteps, 1, int.MaxValue);
        return schedule switch
        {
            LearningRateSchedule.Cosine => new CosineAnnealingLr(optimizer, tMax: steps),
            LearningRateSchedule.Step => new StepLr(optimizer, stepSize: Math.Max(stepsPerEpoch, 1), gamma: StepGamma),
            LearningRateSchedule.OneCycle => new OneCycleLr(optimizer, maxLr: optimizer.LearningRate, totalSteps: Math.Max(steps, 2)),
            _ => null,
        };
    }

    /// <summary>The option value: "cosine", "constant", "step" or "onecycle".</summary>
    public static string Name(LearningRateSchedule schedule) => schedule.ToString().ToLowerInvariant();

    /// <summary>Parses a value of <see cref="Names"/>.</summary>
    /// <exception cref="ArgumentException">Another value.</exception>
    public static LearningRateSchedule Parse(string name) =>
        Enum.GetValues<LearningRateSchedule>().Where(s => Name(s) == name).Cast<LearningRateSchedule?>().FirstOrDefault()
            ?? throw new ArgumentException($"unknown schedule '{name}'; expected one of {string.Join(", ", Names)}", nameof(name));
}
