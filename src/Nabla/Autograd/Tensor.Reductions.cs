using Nabla.Autograd.Ops;

namespace Nabla.Tensors;

// Reductions over dimensions, differentiable.
public partial class Tensor
{
    /// <summary>Σ over all elements (a 0-d tensor).</summary>
    public Tensor Sum() => SumOp.Apply(this, [], keepDim: false, mean: false);

    /// <summary>Σ over one dimension (<c>x.sum(dim, keepdim)</c>).</summary>
    public Tensor Sum(int dim, bool keepDim = false) => SumOp.Apply(this, [dim], keepDim, mean: false);

    /// <summary>Σ over several dimensions.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false) => SumOp.Apply(this, dims, keepDim, mean: false);

    /// <summary>Mean over all elements.</summary>
    public Tensor Mean() => SumOp.Apply(this, [], keepDim: false, mean: true);

    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => SumOp.Apply(this, [dim], keepDim, mean: true);

    /// <summary>Mean over several dimensions.</summary>
    public Tensor Mean(int[] dims, bool keepDim = false) => SumOp.Apply(this, dims, keepDim, mean: true);

    /// <summary>Maximum of all elements (a 0-d tensor).</summary>
    public Tensor Max() => ExtremeAllOp.Apply(this, isMax: true);

    /// <summary>Minimum of all elements (a 0-d tensor).</summary>
    public Tensor Min() => ExtremeAllOp.Apply(this, isMax: false);

    /// <summary>Maximum along a dimension with the index of the first maximum (<c>x.max(dim)</c>).</summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => MaxOp.Apply(this, dim, keepDim, isMax: true);

    /// <summary>Minimum along a dimension with the index of the first minimum (<c>x.min(dim)</c>).</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => MaxOp.Apply(this, dim, keepDim, isMax: false);

    /// <summary>Index of the maximum along a dimension, int64 (<c>x.argmax(dim)</c>).</summary>
    public Tensor ArgMax(int dim, bool keepDim = false)
    {
        using var _ = NoGrad();
        return MaxOp.Apply(this, dim, keepDim, isMax: true).Indices;
    }

    /// <summary>Index of the maximum of the flattened tensor.</summary>
    public Tensor ArgMax() => Reshape([-1]).ArgMax(0);

    /// <summary>Index of the minimum along a dimension, int64 (<c>x.argmin(dim)</c>).</summary>
    public Tensor ArgMin(int dim, bool keepDim = false)
    {
        using var _ = NoGrad();
        return MaxOp.Apply(this, dim, keepDim, isMax: false).Indices;
    }

    /// <summary>Index of the minimum of the flattened tensor.</summary>
    public Tensor ArgMin() => Reshape([-1]).ArgMin(0);

    /// <summary>Variance Σ(x − x̄)²/(N − correction) over dims (all if empty); correction 1 is Bessel's (PyTorch's default).</summary>
    public Tensor Var(int[]? dims = null, bool keepDim = false, int correction = 1)
    {
        dims ??= [];
        var d = ReduceDriver.NormalizeDims("Var", dims, Dim);
        int n = 1;
        foreach (int k in d) n *= shape[k];
        var centered = Sub(Mean(dims, keepDim: true));
        var ss = centered.Mul(centered).Sum(d, keepDim);
        return ss.Div(Math.Max(n - correction, 0));
    }

    /// <summary>Variance over one dimension.</summary>
    public Tensor Var(int dim, bool keepDim = false, int correction = 1) => Var([dim], keepDim, correction);

    /// <summary>Standard deviation √Var over dims (all if empty).</summary>
    public Tensor Std(int[]? dims = null, bool keepDim = false, int correction = 1) => Var(dims, keepDim, correction).Sqrt();

    /// <summary>Standard deviation over one dimension.</summary>
    public Tensor Std(int dim, bool keepDim = false, int correction = 1) => Var([dim], keepDim, correction).Sqrt();

    /// <summary>ln Σ eˣ over one dimension, computed as m + ln Σ e^(x−m) with m the (constant) maximum.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false)
    {
        Tensor m;
        using (NoGrad())
        {
            m = Max(dim, keepDim: true).Values;
            m = m.MaskedFillRaw(m.IsInfRaw(), 0);
        }
        var r = Sub(m).Exp().Sum(dim, keepDim: true).Log().Add(m);
        return keepDim ? r : r.Squeeze(dim);
    }
}
