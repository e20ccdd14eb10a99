using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>Gradient clipping (<c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>), the remedy for
/// exploding gradients.</summary>
public static class GradientClipping
{
    /// <summary>Scales all gradients together so their combined p-norm is at most <paramref name="maxNorm"/>;
    /// returns the total norm before clipping.</summary>
    /// <remarks>‖g‖ₚ = (Σ over every element of every gradient |g|ᵖ)^(1/p), or max |g| for p = ∞. When it exceeds
    /// maxNorm, every gradient is multiplied by maxNorm / (‖g‖ + 1e-6), as PyTorch does.</remarks>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm, double normType = 2.0, bool errorIfNonFinite = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNorm);
        if (!(normType > 0)) throw new ArgumentOutOfRangeException(nameof(normType), normType, "ClipGradNorm: the norm type must be positive (or infinity).");
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        double total = 0;
        foreach (var g in grads)
        {
            var c = g.ContiguousRaw();
            if (c.DType == DType.Float32 && normType == 2) total += System.Numerics.Tensors.TensorPrimitives.SumOfSquares(c.Span<float>());
            else if (c.DType == DType.Float32 && double.IsPositiveInfinity(normType)) total = Math.Max(total, Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(c.Span<float>())));
            else
                for (int i = 0; i < c.NumEl; i++)
                {
                    double a = Math.Abs(c.GetAsDouble(c.Offset + i));
                    total = double.IsPositiveInfinity(normType) ? Math.Max(total, a) : total + Math.Pow(a, normType);
                }
        }
        if (!double.IsPositiveInfinity(normType)) total = Math.Pow(total, 1 / normType);
        if (errorIfNonFinite && !double.IsFinite(total))
            throw new InvalidOperationException($"ClipGradNorm: the total norm of order {normType} of the gradients is {total}, so clipping cannot proceed.");
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            using (Tensor.NoGrad())
                foreach (var g in grads) g.Mul_(coef);
        return total;
    }

    /// <summary>Clamps every gradient element to [−clipValue, clipValue].</summary>
    public static void ClipGradValue(IEnumerable<Parameter> parameters, double clipValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clipValue);
        using var _ = Tensor.NoGrad();
        foreach (var p in parameters) p.Grad?.Clamp_(-clipValue, clipValue);
    }
}
