namespace Nabla.Cli.Lab;

/// <summary>One experiment of <c>nabla lab</c>: a textbook claim, the run that tests it, and the report of that run.</summary>
internal interface ILabExperiment
{
    /// <summary>The name <c>nabla lab run NAME</c> takes, e.g. "rnn-vs-lstm".</summary>
    string Name { get; }

    /// <summary>The report's title.</summary>
    string Title { get; }

    /// <summary>The claim under test, in one sentence.</summary>
    string Claim { get; }

    /// <summary>Runs the experiment at <see cref="LabContext.Scale"/>, writing its images into
    /// <see cref="LabContext.Directory"/>, and fills <paramref name="report"/>: set-up, tables, images, the verdict
    /// computed from the measurements, and how to change the set-up.</summary>
    void Run(LabContext context, LabReport report);
}
