namespace Nabla.Tests.TestSupport;

/// <summary>Tests that change process-wide state (the default generator, anomaly mode) run alone, after the
/// parallel ones, so they neither disturb nor are disturbed by other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalState
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Global state";
}
