using System.Reflection;

namespace Nabla.Cli.Lab;

/// <summary>Every experiment of <c>nabla lab</c>, in the order of a course: from backpropagation to audio.</summary>
/// <remarks>Experiments are the <see cref="ILabExperiment"/> classes of this assembly, found by reflection, so adding
/// one is adding its file; <see cref="CourseOrder"/> fixes the order they are listed and run in.</remarks>
internal static class LabRegistry
{
    /// <summary>The experiments' names in the order they are listed and run.</summary>
    public static readonly string[] CourseOrder =
    [
        "backprop", "cnn", "rnn-vs-lstm", "vanishing-exploding", "initialization", "optimizers", "dropout",
        "attention", "multi-head", "positional-encoding", "encoder-decoder", "transformer-parallelism",
        "vae", "gan-vs-vae", "mel",
    ];

    private static readonly Lazy<IReadOnlyList<ILabExperiment>> Experiments = new(Discover);

    /// <summary>Every experiment, in course order.</summary>
    public static IReadOnlyList<ILabExperiment> All => Experiments.Value;

    /// <summary>The experiment called <paramref name="name"/>, or null.</summary>
    public static ILabExperiment? Find(string name) => All.FirstOrDefault(e => e.Name == name);

    private static List<ILabExperiment> Discover()
    {
        var found = typeof(LabRegistry).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ILabExperiment).IsAssignableFrom(t))
            .Select(t => (ILabExperiment)Activator.CreateInstance(t, nonPublic: true)!)
            .ToList();
        var duplicate = found.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"lab: two experiments are called '{duplicate.Key}'");
        return [.. found.OrderBy(e => Rank(e.Name)).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }

    private static int Rank(string name)
    {
        int i = Array.IndexOf(CourseOrder, name);
        return i < 0 ? CourseOrder.Length : i;
    }
}
