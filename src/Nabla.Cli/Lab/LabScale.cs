namespace Nabla.Cli.Lab;

/// <summary>How much work an experiment does: the same experiment at three sizes.</summary>
internal enum LabScale
{
    /// <summary>Seconds: the configuration the tests run, only to show the experiment produces its report.</summary>
    Smoke,

    /// <summary>Under five minutes on 2 cores; may reuse checkpoints that <c>nabla train</c> wrote.</summary>
    Quick,

    /// <summary>The configuration whose results docs/lab and the README quote; <c>lab run all</c> stays under three hours.</summary>
    Full,
}
