using Nabla.Tensors;

namespace Nabla.Autograd;

/// <summary>Records operations: decides whether an output needs a node and attaches it.</summary>
internal static class Graph
{
    public static bool ShouldRecord(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;

    public static bool ShouldRecord(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    public static bool ShouldRecord(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Makes <paramref name="node"/> the producer of <paramref name="output"/>.</summary>
    public static Tensor Record(Tensor output, Node node)
    {
        output.GradFn = node;
        if (AnomalyMode.IsEnabled) AnomalyMode.CheckForward(node.Name, output);
        return output;
    }
}
