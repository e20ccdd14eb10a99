using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>z = x[..., 0] + i·x[..., 1] (torch.view_as_complex, as a copy) for float32 x [..., 2].  dx = (Re dz, Im dz).</summary>
internal sealed class ViewAsComplexOp(Tensor x) : Node(x)
{
    public static Tensor Apply(Tensor x)
    {
        const string op = "ViewAsComplex";
        if (x.DType != DType.Float32) Throw.DType(op, x.DType, "float32 (pairs of complex64 parts)");
        if (x.Dim == 0 || x.shape[^1] != 2)
            Throw.Shape(op, "[..., 2]", ShapeUtil.Format(x.shape), $"{op}: the last dimension must hold (re, im) pairs, size 2; got shape {ShapeUtil.Format(x.shape)}.");
        var z = ComplexDriver.FromPairs(x);
        return Graph.ShouldRecord(x) ? Graph.Record(z, new ViewAsComplexOp(x)) : z;
    }

    protected internal override void Backward(Tensor dz) => AddGrad(0, ComplexDriver.ToPairs(dz));
}
