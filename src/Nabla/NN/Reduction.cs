namespace Nabla.NN;

/// <summary>How a loss combines its per-element values (PyTorch's <c>reduction='none' | 'mean' | 'sum'</c>).</summary>
public enum Reduction
{
    /// <summary>Return every per-element loss (<c>'none'</c>).</summary>
    None,

    /// <summary>The sum divided by the number of elements, or by the summed class weights where a loss has them (<c>'mean'</c>, the default).</summary>
    Mean,

    /// <summary>The sum of the per-element losses (<c>'sum'</c>).</summary>
    Sum,
}
