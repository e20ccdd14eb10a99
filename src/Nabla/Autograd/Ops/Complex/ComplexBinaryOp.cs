using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>c = a ∘ b (add, sub, mul, div) when either operand is complex64, broadcasting; a real operand is promoted.</summary>
/// <remarks>Gradients follow PyTorch's convention for a real loss L, ∂L/∂z = ∂L/∂Re z + i·∂L/∂Im z:
/// add: da = dc, db = dc; sub: da = dc, db = −dc; mul: da = dc·b̄, db = dc·ā; div: da = dc / b̄, db = −dc·c̄ / b̄.
/// Each is summed back over broadcast dimensions, and a real operand receives the real part of its gradient.</remarks>
internal sealed class ComplexBinaryOp : Node
{
    private readonly ComplexDriver.Operation operation;
    private readonly int[] aShape, bShape;
    private readonly DType aType, bType;
    private SavedTensor a, b, c;

    private ComplexBinaryOp(Tensor a, Tensor b, Tensor c, ComplexDriver.Operation operation) : base(a, b)
    {
        this.operation = operation;
        aShape = a.shape;
        bShape = b.shape;
        aType = a.DType;
        bType = b.DType;
        if (operation is ComplexDriver.Operation.Mul or ComplexDriver.Operation.Div)
        {
            this.a = Save(a);
            this.b = Save(b);
        }
        if (operation == ComplexDriver.Operation.Div) this.c = Save(c);
    }

    public override string Name => operation.ToString();

    public static Tensor Apply(Tensor a, Tensor b, ComplexDriver.Operation operation)
    {
        var c = ComplexDriver.Binary(operation.ToString(), a, b, operation);
        return Graph.ShouldRecord(a, b) ? Graph.Record(c, new ComplexBinaryOp(a, b, c, operation)) : c;
    }

    protected internal override void Backward(Tensor dc)
    {
        const string op = "backward";
        if (NeedsGrad(0))
        {
            var g = operation switch
            {
                ComplexDriver.Operation.Mul => ComplexDriver.Binary(op, dc, Conj(b.Value), ComplexDriver.Operation.Mul),
                ComplexDriver.Operation.Div => ComplexDriver.Binary(op, dc, Conj(b.Value), ComplexDriver.Operation.Div),
                _ => dc,
            };
            AddGrad(0, Reduce(g, aShape, aType));
        }
        if (NeedsGrad(1))
        {
            var g = operation switch
            {
                ComplexDriver.Operation.Sub => ComplexDriver.Map(dc, z => -z),
                ComplexDriver.Operation.Mul => ComplexDriver.Binary(op, dc, Conj(a.Value), ComplexDriver.Operation.Mul),
                ComplexDriver.Operation.Div => ComplexDriver.Map(
                    ComplexDriver.Binary(op, ComplexDriver.Binary(op, dc, Conj(c.Value), ComplexDriver.Operation.Mul), Conj(b.Value), ComplexDriver.Operation.Div),
                    z => -z),
                _ => dc,
            };
            AddGrad(1, Reduce(g, bShape, bType));
        }
    }

    private static Tensor Conj(Tensor t) => t.DType == DType.Complex64 ? ComplexDriver.Map(t, z => z.Conjugate()) : t;

    private static Tensor Reduce(Tensor g, int[] shape, DType dtype)
    {
        g = ComplexDriver.Promote("backward", g);
        g = ComplexDriver.SumTo(g, shape);
        return dtype == DType.Complex64 ? g : ComplexDriver.Part(g, imaginary: false).ToRaw(dtype);
    }

    protected internal override void ReleaseSaved()
    {
        a = default;
        b = default;
        c = default;
    }
}
