using Nabla.Data;
using Nabla.Data.Transforms;
using Nabla.Kernels;
using Nabla.Tensors;

namespace Nabla.Tests.Data;

public sealed class TransformTests
{
    /// <summary>[C, H, W] with values 1, 2, 3, … row-major.</summary>
    static Tensor Counting(int c, int h, int w) => Tensor.FromArray<float>([.. Enumerable.Range(1, c * h * w).Select(i => (float)i)], [c, h, w]);

    static Tensor RandomImages(int n, int c, int h, int w, int seed) => Tensor.Rand([n, c, h, w], generator: new Generator(seed));

    static float[,] Plane(Tensor image, int channel = 0)
    {
        int h = image.Shape[^2], w = image.Shape[^1];
        var values = image.ToArray<float>();
        var plane = new float[h, w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) plane[y, x] = values[(channel * h + y) * w + x];
        return plane;
    }

    // --- Normalize ------------------------------------------------------------------------------------------------

    [Fact]
    public void Normalize_SubtractsMeanAndDividesByStdPerChannel()
    {
        var x = Tensor.FromArray<float>([0f, 0.5f, 1f, 0.25f], [2, 1, 2]);
        var y = new Normalize([0.5f, 0.1f], [0.25f, 2f]).Apply(x);
        Assert.Equal([2, 1, 2], y.Shape);
        Assert.Equal([(0f - 0.5f) / 0.25f, (0.5f - 0.5f) / 0.25f, (1f - 0.1f) / 2f, (0.25f - 0.1f) / 2f], y.ToArray<float>());
    }

    [Fact]
    public void Normalize_MnistStatistics_MatchMnistDatasetNormalization()
    {
        var x = Tensor.FromArray<float>([0f, 1f], [1, 1, 1, 2]);
        var y = new Normalize([MnistDataset.Mean], [MnistDataset.Std]).Apply(x).ToArray<float>();
        Assert.Equal(-MnistDataset.Mean / MnistDataset.Std, y[0], 6);
        Assert.Equal((1 - MnistDataset.Mean) / MnistDataset.Std, y[1], 6);
    }

    [Fact]
    public void Normalize_OneValue_AppliesToEveryChannel() =>
        Assert.Equal([-1f, 1f, 3f], new Normalize([1f], [1f]).Apply(Tensor.FromArray<float>([0f, 2f, 4f], [3, 1, 1])).ToArray<float>());

    [Fact]
    public void Normalize_RejectsChannelMismatchAndZeroStd()
    {
        Assert.Equal("Normalize: has 3 means and stds but the image has 1 channels; expected one per channel or a single one",
            Assert.Throws<ArgumentException>(() => new Normalize([0, 0, 0], [1, 1, 1]).Apply(Tensor.Zeros([1, 2, 2]))).Message);
        Assert.StartsWith("Normalize: std[1] is 0; expected a finite non-zero value",
            Assert.Throws<ArgumentException>(() => new Normalize([0, 0], [1, 0])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_RejectsNonImages() =>
        Assert.Equal("RandomCrop: expected a float32 image [C, H, W] or batch [N, C, H, W] with C, H, W ≥ 1, got Int64 [2, 2] (Parameter 'images')",
            Assert.Throws<ArgumentException>(() => new RandomCrop(1).Apply(Tensor.Zeros([2, 2], DType.Int64))).Message);

    // --- RandomCrop -----------------------------------------------------------------------------------------------

    [Fact]
    public void RandomCrop_WindowAsLargeAsThePaddedImage_IsThePaddedImage()
    {
        var y = new RandomCrop((4, 5), padding: 1, fill: -1).Apply(Counting(1, 2, 3));
        Assert.Equal([1, 4, 5], y.Shape);
        Assert.Equal(
            [-1, -1, -1, -1, -1,
             -1, 1, 2, 3, -1,
             -1, 4, 5, 6, -1,
             -1, -1, -1, -1, -1], y.ToArray<float>());
    }

    [Fact]
    public void RandomCrop_WithPadding_CutsEveryWindowOfThePaddedImage()
    {
        // 3×3 window of a 3×3 image padded by 1: the top-left corner (in padded coordinates) is one of 3 × 3 places.
        var image = Counting(2, 3, 3);
        var padded = new float[2, 5, 5];
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 5; x++)
                    padded[c, y, x] = y is >= 1 and <= 3 && x is >= 1 and <= 3 ? (float)(c * 9 + (y - 1) * 3 + x) : 7.5f;
        var batch = new RandomCrop(3, padding: 1, fill: 7.5f).Apply(image.Unsqueeze(0).Expand([300, 2, 3, 3]).Contiguous(), new Generator(1));
        var values = batch.ToArray<float>();
        var seen = new HashSet<(int, int)>();
        for (int n = 0; n < 300; n++)
        {
            var found = Enumerable.Range(0, 9).Select(k => (Top: k / 3, Left: k % 3)).Where(p =>
                Enumerable.Range(0, 18).All(i => values[n * 18 + i] == padded[i / 9, p.Top + i % 9 / 3, p.Left + i % 3])).ToList();
            Assert.Single(found);
            seen.Add(found[0]);
        }
        Assert.Equal(9, seen.Count);   // every position is drawn
    }

    [Fact]
    public void RandomCrop_SameSeed_SameCrops()
    {
        var x = RandomImages(20, 1, 8, 8, seed: 3);
        var crop = new RandomCrop(6, padding: 2);
        var a = crop.Apply(x, new Generator(5));
        var b = crop.Apply(x, new Generator(5));
        var c = crop.Apply(x, new Generator(6));
        Assert.Equal([20, 1, 6, 6], a.Shape);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.NotEqual(a.ToArray<float>(), c.ToArray<float>());
    }

    [Fact]
    public void RandomCrop_WindowLargerThanPaddedImage_IsRefused() =>
        Assert.Equal("RandomCrop: window 32×32 is larger than the padded image 30×30 (28×28 with padding 1)",
            Assert.Throws<ArgumentException>(() => new RandomCrop(32, padding: 1).Apply(Tensor.Zeros([1, 28, 28]))).Message);

    // --- flips ------------------------------------------------------------------------------------------------------

    [Fact]
    public void RandomHorizontalFlip_P1_MirrorsEveryRow()
    {
        var y = new RandomHorizontalFlip(p: 1).Apply(Counting(2, 2, 3));
        Assert.Equal([3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10], y.ToArray<float>());
        Assert.Equal(Counting(2, 2, 3).ToArray<float>(), new RandomHorizontalFlip(p: 0).Apply(Counting(2, 2, 3)).ToArray<float>());
    }

    [Fact]
    public void RandomVerticalFlip_P1_MirrorsEveryColumn() =>
        Assert.Equal([4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9], new RandomVerticalFlip(p: 1).Apply(Counting(2, 2, 3)).ToArray<float>());

    [Fact]
    public void RandomHorizontalFlip_HalfTheBatchIsFlipped_Reproducibly()
    {
        var x = Counting(1, 1, 2).Unsqueeze(0).Expand([400, 1, 1, 2]).Contiguous();
        var a = new RandomHorizontalFlip().Apply(x, new Generator(11)).ToArray<float>();
        int flipped = Enumerable.Range(0, 400).Count(n => a[2 * n] == 2);
        Assert.InRange(flipped, 160, 240);   // Binomial(400, ½): mean 200, σ 10
        Assert.Equal(a, new RandomHorizontalFlip().Apply(x, new Generator(11)).ToArray<float>());
    }

    // --- RandomAffine -------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(InterpolationMode.Nearest)]
    [InlineData(InterpolationMode.Bilinear)]
    public void RandomAffine_ZeroParameters_IsTheIdentity(InterpolationMode mode)
    {
        var x = RandomImages(3, 2, 7, 6, seed: 1);
        var y = new RandomAffine(0, translate: (0, 0), scale: (1, 1), shear: 0, interpolation: mode, fill: 5).Apply(x, new Generator(2));
        Assert.Equal(x.ToArray<float>(), y.ToArray<float>());
    }

    [Theory]
    [InlineData(InterpolationMode.Nearest, 3)]
    [InlineData(InterpolationMode.Bilinear, 3)]
    [InlineData(InterpolationMode.Nearest, 4)]
    [InlineData(InterpolationMode.Bilinear, 4)]
    public void RandomAffine_90Degrees_RotatesClockwise(InterpolationMode mode, int n)
    {
        var x = Counting(1, n, n);
        var y = Plane(new RandomAffine((90, 90), interpolation: mode).Apply(x));
        var input = Plane(x);
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                Assert.Equal(input[n - 1 - c, r], y[r, c]);   // clockwise: the left column becomes the top row, read bottom-up
        if (n == 3) Assert.Equal(new float[,] { { 7, 4, 1 }, { 8, 5, 2 }, { 9, 6, 3 } }, y);
    }

    [Fact]
    public void AffineSampler_TranslationMovesTheImageRightAndDown()
    {
        var x = Counting(1, 3, 3).ToArray<float>();
        var y = new float[9];
        var m = AffineSampler.InverseMatrix(angle: 0, translateX: 1, translateY: 1, scale: 1, shearX: 0, shearY: 0);
        AffineSampler.Warp(x, y, 1, 3, 3, m, InterpolationMode.Nearest, fill: 0);
        Assert.Equal([0, 0, 0, 0, 1, 2, 0, 4, 5], y);
    }

    [Fact]
    public void AffineSampler_Bilinear_HalfPixelShiftAveragesNeighboursAndFill()
    {
        float[] x = [2, 4, 8];
        var y = new float[3];
        AffineSampler.Warp(x, y, 1, 1, 3, [1, 0, -0.5, 0, 1, 0], InterpolationMode.Bilinear, fill: 10);   // reads x − ½
        Assert.Equal([(10 + 2) / 2f, (2 + 4) / 2f, (4 + 8) / 2f], y);
    }

    [Fact]
    public void AffineSampler_ScaleTwo_MagnifiesAboutTheCentre()
    {
        // Scale 2 about the centre 1.5 of a 4-wide row: output x reads 1.5 + (x − 1.5)/2 = 0.75, 1.25, 1.75, 2.25.
        float[] x = [0, 10, 20, 30];
        var y = new float[4];
        AffineSampler.Warp(x, y, 1, 1, 4, AffineSampler.InverseMatrix(0, 0, 0, 2, 0, 0), InterpolationMode.Bilinear, fill: 0);
        Assert.Equal([7.5f, 12.5f, 17.5f, 22.5f], y);
    }

    [Fact]
    public void RandomAffine_SameSeed_SameBatch_AndIndependentOfThreads()
    {
        var x = RandomImages(64, 1, 28, 28, seed: 4);
        var augment = new Compose(
            new RandomCrop(28, padding: 2),
            new RandomAffine(15, translate: (0.1, 0.1), scale: (0.9, 1.1), shear: 10, interpolation: InterpolationMode.Bilinear),
            new Normalize([MnistDataset.Mean], [MnistDataset.Std]));
        float[] serial, parallel;
        using (KernelOptions.OverrideForTesting(threads: 1)) serial = augment.Apply(x, new Generator(7)).ToArray<float>();
        using (KernelOptions.OverrideForTesting(threads: 4, forceParallel: true)) parallel = augment.Apply(x, new Generator(7)).ToArray<float>();
        var other = augment.Apply(x, new Generator(8)).ToArray<float>();

        Assert.Equal(serial, parallel);
        Assert.NotEqual(serial, other);
        Assert.NotEqual(new Normalize([MnistDataset.Mean], [MnistDataset.Std]).Apply(x).ToArray<float>(), serial);   // it did move pixels
    }

    [Fact]
    public void Transform_ImageEqualsBatchOfOne()
    {
        var x = RandomImages(1, 3, 9, 9, seed: 2);
        var affine = new RandomAffine(30, translate: (0.2, 0.2), interpolation: InterpolationMode.Bilinear);
        Assert.Equal(affine.Apply(x, new Generator(3)).ToArray<float>(), affine.Apply(x.Squeeze(0), new Generator(3)).ToArray<float>());
    }

    [Fact]
    public void RandomAffine_DrawsFromTheDefaultGeneratorWhenNoneIsGiven()
    {
        var x = RandomImages(8, 1, 10, 10, seed: 6);
        var affine = new RandomAffine(45);
        Generator.ManualSeed(123);
        var a = affine.Apply(x).ToArray<float>();
        Generator.ManualSeed(123);
        Assert.Equal(a, affine.Apply(x).ToArray<float>());
    }

    // --- Resize ------------------------------------------------------------------------------------------------------

    [Fact]
    public void Resize_SameSize_IsTheIdentity()
    {
        var x = RandomImages(2, 3, 5, 4, seed: 8);
        Assert.Equal(x.ToArray<float>(), new Resize(5, 4).Apply(x).ToArray<float>());
    }

    [Fact]
    public void Resize_Halving_IsBilinearOrTriangleAveraged()
    {
        var x = Tensor.FromArray<float>([0, 10, 20, 30], [1, 1, 4]);
        // Without antialiasing: output centres fall between inputs 0|1 and 2|3.
        Assert.Equal([5f, 25f], new Resize(1, 2, antialias: false).Apply(x).ToArray<float>());
        // With it (PIL): a triangle of half-width 2 input pixels: weights .75 .75 .25 (and .25 .75 .75), normalized.
        var y = new Resize(1, 2).Apply(x).ToArray<float>();
        Assert.Equal(12.5 / 1.75, y[0], 5);
        Assert.Equal(40 / 1.75, y[1], 5);
    }

    [Fact]
    public void Resize_ShorterEdge_KeepsAspectRatio()
    {
        Assert.Equal([1, 4, 8], new Resize(4).Apply(Tensor.Ones([1, 8, 16])).Shape);
        Assert.Equal([1, 5, 2], new Resize(2).Apply(Tensor.Ones([1, 11, 4])).Shape);
        Assert.All(new Resize(3).Apply(Tensor.Ones([1, 7, 7])).ToArray<float>(), v => Assert.Equal(1f, v, 6));   // a constant stays constant
    }

    // --- DataLoader ----------------------------------------------------------------------------------------------------

    [Fact]
    public void DataLoader_AppliesTheTransformToInputsOnly()
    {
        var images = Tensor.FromArray<float>([.. Enumerable.Range(0, 12).Select(i => (float)i)], [6, 1, 1, 2]);
        var labels = Tensor.FromArray<long>([0, 1, 2, 3, 4, 5]);
        var loader = new DataLoader(new TensorDataset(images, labels), 4, transform: new RandomHorizontalFlip(p: 1));
        var batches = loader.ToList();
        Assert.Equal([1, 0, 3, 2, 5, 4, 7, 6], batches[0].Input.ToArray<float>());
        Assert.Equal([0L, 1, 2, 3], batches[0].Target.ToArray<long>());
        Assert.Equal([2, 1, 1, 2], batches[1].Input.Shape);
    }

    [Fact]
    public void DataLoader_SeededTransform_ReproducesAndResumesMidEpoch()
    {
        var images = RandomImages(10, 1, 6, 6, seed: 12);
        var dataset = new TensorDataset(images, Tensor.Zeros([10], DType.Int64));
        var augment = new RandomAffine(20, translate: (0.2, 0.2));
        var first = new DataLoader(dataset, 3, shuffle: true, seed: 9, transform: augment).Select(b => b.Input.ToArray<float>()).ToList();
        var again = new DataLoader(dataset, 3, shuffle: true, seed: 9, transform: augment).Select(b => b.Input.ToArray<float>()).ToList();
        var resumed = new DataLoader(dataset, 3, shuffle: true, seed: 9, transform: augment).Batches(0, startBatch: 2).Select(b => b.Input.ToArray<float>()).ToList();

        Assert.Equal(first, again);
        Assert.Equal(first.Skip(2).ToList(), resumed);
    }
}
