using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>z = re + i·im (torch.complex), broadcasting.  dre = Re dz, dim = Im dz (summed over broadcast dimensions).</summary>
internal sealed class ComplexFromPartsOp(Tensor re, Tensor im) : Node(re, im)
{
    private readonly int[] reShape = re.shape, imShape = im.shape;
    private readonly DType reType = re.DType, imType = im.DType;

    public override string Name => "Complex";

    public static Tensor Apply(Tensor re, Tensor im)
    {
        const string op = "Complex";
        if (!re.DType.IsFloatingPoint()) Throw.DType(op, re.DType, "float32 or float64");
        if (re.DType != im.DType)
            Throw.Argument($"{op}: real part {re.DType.TorchName()} {ShapeUtil.Format(re.shape)} and imaginary part {im.DType.TorchName()} {ShapeUtil.Format(im.shape)} must have one dtype.");
        var shape = ShapeUtil.SameShape(re.shape, im.shape) ? re.shape : ShapeUtil.Broadcast(op, re.shape, im.shape);
        var z = ComplexDriver.FromParts(re.ExpandRaw(shape).ContiguousRaw(), im.ExpandRaw(shape).ContiguousRaw());
        return Graph.ShouldRecord(re, im) ? Graph.Record(z, new ComplexFromPartsOp(re, im)) : z;
    }

    protected internal override void Backward(Tensor dz)
    {
        if (NeedsGrad(0)) AddGrad(0, ComplexDriver.Part(dz, imaginary: false).SumToRaw(reShape).ToRaw(reType));
        if (NeedsGrad(1)) AddGrad(1, ComplexDriver.Part(dz, imaginary: true).SumToRaw(imShape).ToRaw(imType));
    }
}
