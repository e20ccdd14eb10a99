using Nabla.Models;
using Nabla.Models.Tasks;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Common;

/// <summary>How much the final loss depends on each input step: g_k = mean over a batch of ‖∂L_b/∂x_{b,T−1−k}‖ for
/// k = 0 … T−1 (k is the distance back from the last step), and the rate at which it falls with k.</summary>
/// <remarks>Each sequence's own loss L_b is differentiated (the batch loss is a sum, not a mean), so g_k does not
/// depend on the batch size. Norms are taken in float64: a plain RNN's gradient reaches 10⁻²⁰ within 100 steps, whose
/// square is below float32's range.</remarks>
internal static class InputGradients
{
    /// <summary>g_k for k = 0 … T−1 of <paramref name="model"/> on the batch (<paramref name="input"/> [B, T, I],
    /// <paramref name="target"/>); the model's parameter gradients are cleared afterwards.</summary>
    public static double[] Profile(RecurrentClassifier model, MemoryTask task, Tensor input, Tensor target) =>
        Profile(model, task.Loss, input, target);

    /// <summary>g_k as above for any mean-reduced <paramref name="loss"/>(output, target), e.g. <c>Functional.MseLoss</c>.</summary>
    public static double[] Profile(RecurrentClassifier model, Func<Tensor, Tensor, Tensor> loss, Tensor input, Tensor target)
    {
        int batch = input.Shape[0], steps = input.Shape[1];
        var x = input.Detach().Clone().RequiresGrad_();
        // The mean loss times B is the sum of the per-sequence losses Σ_b L_b, whose gradient in x_b is ∂L_b/∂x_b.
        var total = loss(model.Call(x), target).Mul((double)batch);
        total.Backward();
        model.ZeroGrad();
        var norms = x.Grad!.To(DType.Float64).Pow(2).Sum(2).Sqrt().Mean(0).ToArray<double>();   // [T], by step t
        var byDistance = new double[steps];
        for (int k = 0; k < steps; k++) byDistance[k] = norms[steps - 1 - k];
        return byDistance;
    }

    /// <summary>The least-squares slope of log₁₀ g_k against k over the positive, finite g_k: the orders of magnitude
    /// the gradient loses per step back (0 when fewer than two points qualify). 10^slope is the per-step factor.</summary>
    public static double Log10SlopePerStep(IReadOnlyList<double> profile)
    {
        var points = Enumerable.Range(0, profile.Count).Where(k => profile[k] > 0 && double.IsFinite(profile[k]))
            .Select(k => (X: (double)k, Y: Math.Log10(profile[k]))).ToList();
        if (points.Count < 2) return 0;
        double meanX = points.Average(p => p.X), meanY = points.Average(p => p.Y);
        double sxy = points.Sum(p => (p.X - meanX) * (p.Y - meanY)), sxx = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
