using Nabla.Cli.Generative;
using Nabla.Cli.Lab;
using Nabla.Cli.Lab.Experiments.GanVsVae;
using Nabla.Cli.Lab.Plots;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>gan-vs-vae's sharpness measure, its verdict rule, its class-spread figure and its side-by-side grid.</summary>
public sealed class GanVsVaeTests
{
    [Fact]
    public void Laplacian_variance_of_a_constant_image_is_zero()
    {
        var images = Tensor.Full([2, 1, 6, 5], 0.7f);
        Assert.All(LaplacianVariance.PerImage(images), v => Assert.Equal(0, v, 12));
    }

    [Fact]
    public void Laplacian_variance_of_a_single_bright_pixel_is_20_over_9()
    {
        // A 5×5 image with one pixel at the centre: its Laplacian over the 3×3 interior is 1 at the 4 neighbours, −4 at
        // the centre and 0 at the corners, mean 0, so the variance is (4·1² + 4²)/9.
        var pixels = new float[25];
        pixels[12] = 1;
        double[] v = LaplacianVariance.PerImage(Tensor.FromArray<float>(pixels, [1, 1, 5, 5]));
        Assert.Equal(20.0 / 9, v[0], 12);
    }

    [Fact]
    public void Blurring_an_image_lowers_its_Laplacian_variance()
    {
        var sharp = Tensor.Rand([1, 1, 16, 16], generator: new Generator(3)).Gt(0.5).To(DType.Float32);
        var box = Tensor.Full([1, 1, 3, 3], 1f / 9);
        var blurred = Nabla.NN.Functional.Conv2d(sharp, box, padding: 1);
        Assert.True(LaplacianVariance.Mean(blurred) < 0.5 * LaplacianVariance.Mean(sharp));
    }

    [Fact]
    public void Laplacian_variance_rejects_colour_images()
    {
        var e = Assert.Throws<ArgumentException>(() => LaplacianVariance.PerImage(Tensor.Zeros([2, 3, 8, 8])));
        Assert.Contains("[2, 3, 8, 8]", e.Message);
    }

    private static SharpnessVerdict.Scores S(double sharpness, double frechet) => new(sharpness, frechet);

    [Fact]
    public void Sharper_claim_is_supported_only_when_every_GAN_beats_the_VAE_by_the_margin_on_both_measures_and_refuted_by_sharpness_alone()
    {
        var vae = S(0.07, 300);
        Assert.Equal(Verdict.Supported, SharpnessVerdict.Judge(0.18, vae, [S(0.17, 150), S(0.20, 200)]).Verdict);
        // One seed closer in sharpness but not in distribution (FD above 0.9 × 300): the GANs win on average only.
        var (verdict, reason) = SharpnessVerdict.Judge(0.18, vae, [S(0.17, 150), S(0.19, 280)]);
        Assert.Equal(Verdict.Inconclusive, verdict);
        Assert.Contains("not each one by the margin", reason);
        // Sharper but further in distribution: half the claim.
        (verdict, reason) = SharpnessVerdict.Judge(0.18, vae, [S(0.17, 350)]);
        Assert.Equal(Verdict.Inconclusive, verdict);
        Assert.Contains("not, by the margin, in distribution", reason);
        Assert.Equal(Verdict.NotSupported, SharpnessVerdict.Judge(0.18, vae, [S(0.06, 100)]).Verdict);   // blurrier: a gap of 0.12 > 0.11
        Assert.Equal(Verdict.NotSupported, SharpnessVerdict.Judge(0.18, vae, [S(0.30, 100)]).Verdict);   // over-sharp: a gap of 0.12 > 0.11
    }

    [Fact]
    public void Effective_classes_is_ten_for_a_uniform_spread_and_one_for_a_single_class()
    {
        Assert.Equal(10, ModelScores.EffectiveClasses(Enumerable.Repeat(0.1, 10)), 12);
        Assert.Equal(1, ModelScores.EffectiveClasses([1, 0, 0, 0]), 12);
        Assert.Equal(2, ModelScores.EffectiveClasses([0.5, 0.5, 0]), 12);
    }

    [Fact]
    public void Side_by_side_grid_puts_one_white_cell_between_blocks()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-side-by-side-{Guid.NewGuid():N}.png");
        try
        {
            var a = Tensor.Zeros([6, 1, 28, 28]);
            var b = Tensor.Ones([4, 1, 28, 28]);
            SideBySideGrid.Save(path, [a, b, a], columnsPerBlock: 2, title: "a | b | a", scale: 1);
            // Two rows (b has 4 images) of 2 + 1 + 2 + 1 + 2 = 8 cells.
            var expected = ImageGrid.Size(Tensor.Zeros([16, 1, 28, 28]), columns: 8, scale: 1, titled: true);
            var bytes = File.ReadAllBytes(path);
            int width = bytes[16] << 24 | bytes[17] << 16 | bytes[18] << 8 | bytes[19], height = bytes[20] << 24 | bytes[21] << 16 | bytes[22] << 8 | bytes[23];
            Assert.Equal(expected, (width, height));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
