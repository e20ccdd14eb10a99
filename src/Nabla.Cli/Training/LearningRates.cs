using Nabla.Optim;

namespace Nabla.Cli.Training;

/// <summary>The library's scheduler for a <see cref="LearningRateSchedule"/>, stepped once per optimizer step.</summary>
internal static class LearningRates
{
    /// <summary>The scheduler that drives <paramref name="optimizer"/> over <paramref name="totalSteps"/> steps, or null for a constant rate.</summary>
    public static LrScheduler? Create(LearningRateSchedule schedule, Optimizer optimizer, long totalSteps) => schedule switch
    {
        LearningRateSchedule.Cosine => new CosineAnnealingLr(optimizer, tMax: (int)Math.Clamp(totalSteps, 1, int.MaxValue)),
        _ => null,
    };

    /// <summary>The option value: "cosine" or "constant".</summary>
    public static string Name(LearningRateSchedule schedule) => schedule.ToString().ToLowerInvariant();

    /// <summary>Parses an option value accepted by <see cref="Name"/>.</summary>
    public static LearningRateSchedule Parse(string name) =>
        name == "constant" ? LearningRateSchedule.Constant : LearningRateSchedule.Cosine;
}
