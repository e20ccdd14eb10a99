namespace Nabla.Cli.Training;

/// <summary>How the learning rate moves over a run, set before each optimizer step.</summary>
internal enum LearningRateSchedule
{
    /// <summary>η_t = η₀.</summary>
    Constant,

    /// <summary>η_t = η₀ · ½(1 + cos(π t / T)) for step t of T: cosine annealing to zero without restarts
    /// (Loshchilov and Hutter, 2017): the library's <see cref="Nabla.Optim.CosineAnnealingLr"/>, stepped per batch.</summary>
    Cosine,
}
