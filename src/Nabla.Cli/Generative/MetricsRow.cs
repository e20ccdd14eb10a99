namespace Nabla.Cli.Generative;

/// <summary>One row of a <see cref="MetricsTable"/>.</summary>
/// <param name="Epoch">The epoch (1-based) the row belongs to.</param>
/// <param name="Step">The optimizer steps done when it was written.</param>
/// <param name="Values">The kind's own values, NaN where empty.</param>
internal sealed record MetricsRow(int Epoch, long Step, double[] Values);
