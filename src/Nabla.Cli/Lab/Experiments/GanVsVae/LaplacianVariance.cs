using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.GanVsVae;

/// <summary>A sharpness measure: the variance over an image's pixels of its discrete Laplacian
/// ∇²x(i, j) = x(i−1, j) + x(i+1, j) + x(i, j−1) + x(i, j+1) − 4·x(i, j) (Pech-Pacheco et al., 2000). The Laplacian
/// responds to edges; a blurred image has weaker, wider edges and so a smaller variance.</summary>
internal static class LaplacianVariance
{
    /// <summary>The variance (population, over the (H − 2)·(W − 2) interior pixels) of the Laplacian of each image of
    /// <paramref name="images"/> [N, 1, H, W] with pixels in [0, 1].</summary>
    public static double[] PerImage(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Dim != 4 || images.Shape[1] != 1 || images.Shape[2] < 3 || images.Shape[3] < 3)
            throw new ArgumentException($"LaplacianVariance: images [{string.Join(", ", images.Shape)}] must be gray [N, 1, H, W] with H, W ≥ 3", nameof(images));
        using var _ = Tensor.NoGrad();
        var kernel = Tensor.FromArray<double>([0, 1, 0, 1, -4, 1, 0, 1, 0], [1, 1, 3, 3]);
        var laplacian = Functional.Conv2d(images.To(DType.Float64), kernel);        // [N, 1, H − 2, W − 2], no padding
        return laplacian.Flatten(1).Var(1, correction: 0).ToArray<double>();
    }

    /// <summary>The mean of <see cref="PerImage"/>.</summary>
    public static double Mean(Tensor images) => PerImage(images).Average();
}
