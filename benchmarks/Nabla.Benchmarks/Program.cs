using Nabla.Benchmarks;

// Nabla against TorchSharp on the reference workloads, in one Release process: see docs/benchmarks.md.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

IReadOnlyList<string> known = WorkloadRegistry.Ids();
if (options.List)
{
    foreach (var workload in WorkloadRegistry.Create())
    {
        Console.WriteLine($"{workload.Id,-12} {workload.Description}");
        workload.Dispose();
    }

    return 0;
}

var unknown = options.Only?.Except(known).ToArray() ?? [];
if (unknown.Length > 0)
{
    Console.Error.WriteLine($"--only: unknown workload(s) {string.Join(", ", unknown)}; known: {string.Join(", ", known)}.");
    return 2;
}

// Known order, whatever order --only gave.
new BenchmarkRunner(options).Run([.. known.Where(id => options.Only?.Contains(id) ?? true)]);
return 0;
