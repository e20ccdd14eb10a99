namespace Nabla.Cli.Sequence;

/// <summary>Receives a step-based training run's progress (the sequence tasks count steps, not epochs).</summary>
internal interface IStepProgress
{
    /// <summary>Step <paramref name="step"/> (1-based) is done with this training loss.</summary>
    void Step(int step, double loss);

    /// <summary>A line to keep above the progress display: an evaluation's result.</summary>
    void Line(string text);
}
