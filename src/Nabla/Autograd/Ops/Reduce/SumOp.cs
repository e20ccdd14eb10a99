using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>y = scale · Σ x over dims (scale = 1 for sum, 1/n for mean).  dx = scale · dy broadcast back over the reduced dims.</summary>
internal sealed class SumOp(Tensor x, int[] dims, double scale) : Node(x)
{
    private readonly int[] xShape = x.shape;
    private readonly int[] keptShape = ReduceDriver.ReducedShape(x.shape, dims, keepDim: true);

    public override string Name => scale == 1 ? "Sum" : "Mean";

    public static Tensor Apply(Tensor x, ReadOnlySpan<int> dims, bool keepDim, bool mean)
    {
        string op = mean ? "Mean" : "Sum";
        if (!x.DType.IsFloatingPoint()) Throw.DType(op, x.DType, "float32 or float64");
        var d = ReduceDriver.NormalizeDims(op, dims, x.Dim);
        int count = 1;
        foreach (int k in d) count *= x.shape[k];
        double scale = mean ? 1.0 / count : 1.0;
        var y = ReduceDriver.Sum(x, d, keepDim);
        if (mean) y = y.MulScalarRaw(scale);
        return Graph.ShouldRecord(x) ? Graph.Record(y, new SumOp(x, d, scale)) : y;
    }

    protected internal override void Backward(Tensor dy)
    {
        var g = dy.ReshapeRaw(keptShape).ExpandRaw(xShape);
        AddGrad(0, scale == 1 ? g.CloneRaw() : g.MulScalarRaw(scale));
    }
}
