using Nabla.Cli.Data;
using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Cli.Lab;

/// <summary>What an experiment run is given: its size, seed, folder and data, and where to say what it is doing.</summary>
/// <param name="Scale">Smoke, quick or full.</param>
/// <param name="Seed">Seeds every random choice of the run (initialization, data, noise).</param>
/// <param name="Directory">The experiment's own folder: report.md, report.html, results.json and its images go here.</param>
/// <param name="DataDirectory">The MNIST folder (four IDX files).</param>
/// <param name="FetchIfMissing">Whether MNIST may be fetched into <paramref name="DataDirectory"/> (it is the default folder).</param>
/// <param name="RunsDirectory">Where <c>nabla train</c> run folders are looked for when a quick run may reuse a checkpoint.</param>
/// <param name="Log">Progress lines for the console.</param>
internal sealed record LabContext(LabScale Scale, long Seed, string Directory, string DataDirectory, bool FetchIfMissing, string RunsDirectory, TextWriter Log)
{
    /// <summary>The value for this run's scale.</summary>
    public T Pick<T>(T smoke, T quick, T full) => Scale switch
    {
        LabScale.Smoke => smoke,
        LabScale.Quick => quick,
        _ => full,
    };

    /// <summary>The path of <paramref name="file"/> inside the experiment's folder.</summary>
    public string PathOf(string file) => System.IO.Path.Combine(Directory, file);

    /// <summary>A generator seeded from the run's seed and <paramref name="stream"/>, so parts of an experiment draw
    /// independent, reproducible numbers.</summary>
    public Generator Random(long stream = 0) => new(Seed * 1_000_003 + stream);

    /// <summary>The MNIST split, fetched first if missing and allowed; pixels in [0, 1] unless <paramref name="normalize"/>.</summary>
    public TensorDataset Mnist(bool train, bool normalize = false)
    {
        MnistSource.Ensure(DataDirectory, FetchIfMissing, Log);
        return MnistDataset.Load(DataDirectory, train, normalize);
    }

    /// <summary>Writes one progress line, prefixed with the time.</summary>
    public void Say(string line) => Log.WriteLine($"  {DateTime.Now:HH:mm:ss} {line}");
}
