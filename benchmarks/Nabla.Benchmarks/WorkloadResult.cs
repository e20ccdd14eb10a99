using Nabla.Benchmarks.Timing;

namespace Nabla.Benchmarks;

/// <summary>One row of the report: a workload at one thread count.</summary>
internal sealed record WorkloadResult(string Id, int Threads, Measurement Measurement, IReadOnlyDictionary<string, object> Extra);
