using Nabla.Autograd.Ops;
using Nabla.Tensors;

namespace Nabla.NN;

// Dropout (torch.nn.functional.dropout, dropout1d/2d/3d).
public static partial class Functional
{
    /// <summary>Zeroes each element with probability p and scales the rest by 1/(1 − p): y = x ⊙ m/(1 − p),
    /// m ~ Bernoulli(1 − p) (<c>F.dropout</c>).</summary>
    /// <remarks>
    /// The mask is drawn from <paramref name="generator"/>, or <see cref="Generator.Default"/> when none is given, so a
    /// seed reproduces it. When <paramref name="training"/> is false or p = 0 the input itself is returned; p = 1 gives
    /// x·0. E[y] = x. Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", 2014.
    /// </remarks>
    public static Tensor Dropout(Tensor x, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return DropoutWithMask("Dropout", x, p, training, generator, x.shape);
    }

    /// <summary>Channel dropout for [N, C, L] or unbatched [C, L]: each channel is zeroed whole with probability p,
    /// the rest scaled by 1/(1 − p) (<c>F.dropout1d</c>).</summary>
    public static Tensor Dropout1d(Tensor x, double p = 0.5, bool training = true, Generator? generator = null) =>
        FeatureDropout("Dropout1d", x, p, training, generator, spatialDims: 1);

    /// <summary>Channel dropout for [N, C, H, W]: each feature map is zeroed whole with probability p, the rest scaled
    /// by 1/(1 − p) (<c>F.dropout2d</c>).</summary>
    /// <remarks>A 3-d input is read as [N, C, L], as PyTorch does today (it warns that this will change).</remarks>
    public static Tensor Dropout2d(Tensor x, double p = 0.5, bool training = true, Generator? generator = null) =>
        FeatureDropout("Dropout2d", x, p, training, generator, spatialDims: 2);

    /// <summary>Channel dropout for [N, C, D, H, W] or unbatched [C, D, H, W]: each feature volume is zeroed whole with
    /// probability p, the rest scaled by 1/(1 − p) (<c>F.dropout3d</c>).</summary>
    public static Tensor Dropout3d(Tensor x, double p = 0.5, bool training = true, Generator? generator = null) =>
        FeatureDropout("Dropout3d", x, p, training, generator, spatialDims: 3);

    /// <summary>The mask is [N, C, 1, …] (batched) or [C, 1, …] (unbatched): one draw per channel.</summary>
    private static Tensor FeatureDropout(string op, Tensor x, double p, bool training, Generator? generator, int spatialDims)
    {
        ArgumentNullException.ThrowIfNull(x);
        int batched = spatialDims + 2;
        // PyTorch reads a 3-d input to dropout2d as batched [N, C, L]; dropout1d and dropout3d read rank − 1 as unbatched.
        bool unbatched = x.Dim == batched - 1 && spatialDims != 2;
        if (x.Dim != batched && x.Dim != batched - 1)
            Throw.Shape(op, $"{batched - 1}-d or {batched}-d", ShapeUtil.Format(x.ShapeSpan),
                $"{op}: expected a {batched - 1}-d or {batched}-d input ([N, C, ...] with {spatialDims} spatial dimension{(spatialDims == 1 ? "" : "s")}); got {ShapeUtil.Format(x.ShapeSpan)}.");
        var mask = new int[x.Dim];
        mask.AsSpan().Fill(1);
        if (unbatched) mask[0] = x.shape[0];
        else (mask[0], mask[1]) = (x.shape[0], x.shape[1]);
        return DropoutWithMask(op, x, p, training, generator, mask);
    }

    private static Tensor DropoutWithMask(string op, Tensor x, double p, bool training, Generator? generator, int[] maskShape)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"{op}: probability p must be between 0 and 1; got {p}.");
        if (!x.DType.IsFloatingPoint())
            Throw.Argument($"{op}: input {ShapeUtil.Format(x.ShapeSpan)} has dtype {x.DType.TorchName()}; expected float32 or float64.");
        if (!training || p == 0 || x.NumEl == 0) return x;
        return DropoutOp.Apply(x, p, generator ?? Generator.Default, maskShape);
    }
}
