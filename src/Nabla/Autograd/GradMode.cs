namespace Nabla.Autograd;

/// <summary>Whether operations record the graph on this thread (<c>torch.is_grad_enabled</c>).</summary>
public static class GradMode
{
    [ThreadStatic] private static int disabledDepth;

    /// <summary>True unless inside a <see cref="NoGrad"/> scope.</summary>
    public static bool IsEnabled => disabledDepth == 0;

    /// <summary>Stops recording until the returned scope is disposed (<c>with torch.no_grad():</c>).</summary>
    /// <example><code>using var _ = GradMode.NoGrad();</code></example>
    public static NoGradScope NoGrad()
    {
        disabledDepth++;
        return new NoGradScope();
    }

    internal static void Exit() => disabledDepth--;
}

/// <summary>A scope in which operations are not recorded for autograd; dispose to leave it.</summary>
public readonly struct NoGradScope : IDisposable, IEquatable<NoGradScope>
{
    /// <summary>Leaves the scope.</summary>
    public void Dispose() => GradMode.Exit();

    /// <inheritdoc/>
    public bool Equals(NoGradScope other) => true;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NoGradScope;

    /// <inheritdoc/>
    public override int GetHashCode() => 0;

    /// <summary>All scopes compare equal.</summary>
    public static bool operator ==(NoGradScope left, NoGradScope right) => true;

    /// <summary>All scopes compare equal.</summary>
    public static bool operator !=(NoGradScope left, NoGradScope right) => false;
}
