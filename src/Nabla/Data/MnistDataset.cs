using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>MNIST-format data as tensors: images float32 [N, 1, rows, cols] scaled to [0, 1], labels int64 [N].</summary>
public static class MnistDataset
{
    /// <summary>The mean and standard deviation of MNIST's training pixels (after scaling to [0, 1]), as torchvision uses.</summary>
    public const float Mean = 0.1307f, Std = 0.3081f;

    /// <summary>Loads the training or test split from a folder of the four standard IDX files.</summary>
    /// <param name="directory">Folder with train-images-idx3-ubyte etc. (plain or .gz).</param>
    /// <param name="train">Training split (60,000) or test split (10,000).</param>
    /// <param name="normalize">Subtract <see cref="Mean"/> and divide by <see cref="Std"/>.</param>
    public static TensorDataset Load(string directory, bool train, bool normalize = true)
    {
        var raw = Mnist.LoadRaw(directory, train);
        var images = Tensor.Empty([raw.Count, 1, raw.Rows, raw.Cols]);
        var pixels = images.Span<float>();
        float scale = 1f / 255, shift = 0;
        if (normalize) { scale /= Std; shift = -Mean / Std; }
        for (int i = 0; i < pixels.Length; i++) pixels[i] = raw.Images[i] * scale + shift;
        var labels = Tensor.Empty([raw.Count], DType.Int64);
        var l = labels.Span<long>();
        for (int i = 0; i < l.Length; i++) l[i] = raw.Labels[i];
        return new TensorDataset(images, labels);
    }
}
