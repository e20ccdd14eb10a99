using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = x with dimensions reordered (a view): y.shape[i] = x.shape[perm[i]].  dx = dy permuted by the inverse.</summary>
internal sealed class PermuteOp(Tensor x, int[] perm, string name) : Node(x)
{
    public override string Name => name;

    public static Tensor Apply(Tensor x, ReadOnlySpan<int> dims, string name)
    {
        if (dims.Length != x.Dim)
            Throw.Argument($"{name}: {dims.Length} dimensions given for a tensor of rank {x.Dim} {ShapeUtil.Format(x.shape)}.");
        var perm = new int[dims.Length];
        var seen = new bool[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            perm[i] = ShapeUtil.WrapDim(name, dims[i], x.Dim);
            if (seen[perm[i]]) Throw.Argument($"{name}: dimension {perm[i]} repeats in {ShapeUtil.Format(dims)}.");
            seen[perm[i]] = true;
        }
        var y = x.PermuteRaw(perm);
        y.ViewBase = x.ViewBase ?? x;
        return Graph.ShouldRecord(x) ? Graph.Record(y, new PermuteOp(x, perm, name)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        AddGrad(0, dy.PermuteRaw(inverse));
    }
}
