using Nabla.Tensors;

namespace Nabla.Autograd.Ops;

/// <summary>F.one_hot(x, numClasses): y[…, c] = 1 if x[…] = c else 0, an int64 tensor of shape x.shape + [numClasses].
/// numClasses = −1 takes max(x) + 1. Not differentiable.</summary>
internal static class OneHotOp
{
    public static Tensor Apply(Tensor x, int numClasses)
    {
        const string op = "OneHot";
        IndexArgs.CheckIndexDType(op, x, "input");
        if (numClasses < -1) Throw.OutOfRange($"{op}: numClasses must be positive or -1 (infer from the input); got {numClasses}.", nameof(numClasses));
        var classes = IndexArgs.AsInt64(x).Span<long>();
        long max = -1;
        for (int i = 0; i < classes.Length; i++)
        {
            if (classes[i] < 0) Throw.OutOfRange($"{op}: class value {classes[i]} at position {i} is negative; class values must be non-negative.");
            max = Math.Max(max, classes[i]);
        }
        if (numClasses == -1)
        {
            if (classes.Length == 0) Throw.Argument($"{op}: cannot infer the number of classes from an empty tensor {ShapeUtil.Format(x.shape)}; pass numClasses.");
            numClasses = (int)Math.Min(max + 1, int.MaxValue);
        }
        else if (max >= numClasses)
            Throw.OutOfRange($"{op}: class value {max} is out of range for {numClasses} classes (expected 0..{numClasses - 1}).");

        var y = Tensor.Zeros([.. x.shape, numClasses], DType.Int64);
        var dst = y.Span<long>();
        for (int i = 0; i < classes.Length; i++) dst[i * numClasses + (int)classes[i]] = 1;
        return y;
    }
}
