using Nabla.Benchmarks.Workloads;

namespace Nabla.Benchmarks;

/// <summary>Every workload the runner knows, in the order it runs and reports them.</summary>
internal static class WorkloadRegistry
{
    /// <summary>Fresh instances of every workload (construction is cheap: the work happens in Setup).</summary>
    public static IReadOnlyList<IWorkload> Create() =>
    [
        new GemmWorkload(),
        new MlpWorkload(),
        new CnnWorkload(),
        new CnnInferWorkload(),
        new VaeWorkload(),
        new GanWorkload(),
        new TransformerWorkload(),
        new RecurrentWorkload(Models.RecurrentKind.Rnn),
        new RecurrentWorkload(Models.RecurrentKind.Lstm),
        new RecurrentWorkload(Models.RecurrentKind.Gru),
        new MelWorkload(),
    ];

    /// <summary>The workload named <paramref name="id"/>, freshly created.</summary>
    public static IWorkload Create(string id)
    {
        IWorkload? found = null;
        foreach (var workload in Create())
        {
            if (workload.Id == id) found = workload;
            else workload.Dispose();
        }

        return found ?? throw new ArgumentException($"Unknown workload '{id}'; known: {string.Join(", ", Ids())}.", nameof(id));
    }

    /// <summary>The ids of every workload, in order.</summary>
    public static IReadOnlyList<string> Ids()
    {
        var all = Create();
        string[] ids = [.. all.Select(w => w.Id)];
        foreach (var w in all) w.Dispose();
        return ids;
    }
}
