namespace Nabla.Cli.Training;

/// <summary>How the learning rate moves over a run, set before each optimizer step (<c>--schedule</c>).</summary>
internal enum LearningRateSchedule
{
    /// <summary>η_t = η₀.</summary>
    Constant,

    /// <summary>η_t = η₀ · ½(1 + cos(π t / T)) for step t of T: cosine annealing to zero without restarts
    /// (Loshchilov and Hutter, 2017): the library's <see cref="Nabla.Optim.CosineAnnealingLr"/>, stepped per batch.</summary>
    Cosine,

    /// <summary>η_t = η₀ · γ^⌊t / S⌋ with S the steps of one epoch and γ = <see cref="LearningRates.StepGamma"/>: the rate
    /// drops at each epoch's end, as PyTorch's MNIST example does with <c>StepLR(step_size=1, gamma=0.7)</c>.</summary>
    Step,

    /// <summary>The one-cycle policy (Smith and Topin, 2019; <see cref="Nabla.Optim.OneCycleLr"/>): a cosine warm-up
    /// from η₀/25 to η₀ over the first 30% of the steps, then a cosine decay to η₀/(25·10⁴).</summary>
    OneCycle,
}
