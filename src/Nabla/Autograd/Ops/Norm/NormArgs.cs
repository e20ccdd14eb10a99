using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>Checks shared by the normalization ops.</summary>
internal static class NormArgs
{
    /// <summary>A floating-point input.</summary>
    public static void CheckInput(string op, Tensor x)
    {
        if (!x.DType.IsFloatingPoint()) Throw.DType(op, x.DType, "float32 or float64");
    }

    /// <summary>An optional per-feature tensor (weight, bias, running statistics) must have exactly
    /// <paramref name="shape"/> and the input's dtype.</summary>
    public static void CheckVector(string op, string name, Tensor? t, Tensor x, ReadOnlySpan<int> shape)
    {
        if (t is null) return;
        if (!ShapeUtil.SameShape(t.shape, shape))
            Throw.Shape(op, ShapeUtil.Format(shape), ShapeUtil.Format(t.shape),
                $"{op}: {name} must have shape {ShapeUtil.Format(shape)} for input {ShapeUtil.Format(x.shape)}; got {ShapeUtil.Format(t.shape)}.");
        if (t.DType != x.DType)
            Throw.Argument($"{op}: {name} has dtype {t.DType.TorchName()} but the input has {x.DType.TorchName()}; they must match.");
    }

    /// <summary>Product of the sizes from <paramref name="from"/> on.</summary>
    public static int Product(ReadOnlySpan<int> shape, int from)
    {
        int p = 1;
        for (int i = from; i < shape.Length; i++) p *= shape[i];
        return p;
    }

    /// <summary>Input positions of the optional weight and bias in a node whose inputs are [x, weight?, bias?].</summary>
    public static (int Weight, int Bias) Slots(Tensor? weight, Tensor? bias) =>
        (weight is null ? -1 : 1, bias is null ? -1 : weight is null ? 1 : 2);

    /// <summary>[x, weight?, bias?] without the absent ones.</summary>
    public static Tensor[] Inputs(Tensor x, Tensor? weight, Tensor? bias) =>
        weight is null ? bias is null ? [x] : [x, bias] : bias is null ? [x, weight] : [x, weight, bias];
}
