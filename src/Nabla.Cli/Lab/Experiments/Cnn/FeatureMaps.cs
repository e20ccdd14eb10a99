using Nabla.NN;
using Nabla.Tensors;
using CnnModel = Nabla.Models.Cnn;

namespace Nabla.Cli.Lab.Experiments.Cnn;

/// <summary>What a trained convolutional network holds and computes, as gray images [N, 1, H, W] in [0, 1] for
/// <see cref="Generative.ImageGrid"/>: its first-layer filters, the maps each convolution block produces for one
/// digit, and the first-layer weights of a dense network seen as images.</summary>
internal static class FeatureMaps
{
    /// <summary>conv1's filters [out, 1, k, k], each stretched to [0, 1] on its own.</summary>
    public static Tensor Filters(Conv2d conv)
    {
        using var _ = Tensor.NoGrad();
        var w = conv.Weight.Detach();                                       // [out, in, k, k]
        return StretchEach(w.Narrow(1, 0, 1).Squeeze(1));                   // the first input channel: [out, 1, k, k]
    }

    /// <summary>The first Linear's weight rows [count, 1, side, side]: what each hidden unit of a dense network
    /// looks for across the whole image.</summary>
    public static Tensor DenseTemplates(Linear first, int count, int side)
    {
        using var _ = Tensor.NoGrad();
        int n = Math.Min(count, first.OutFeatures);
        return StretchEach(first.Weight.Detach().Narrow(0, 0, n).Reshape([n, side, side]));
    }

    /// <summary>The maps of <paramref name="image"/> [1, C, H, W] after each block's convolution and ReLU (before
    /// pooling): relu(conv1 x) [C1, 1, H, W] and relu(conv2 p) [C2, 1, H/2, W/2], where p = relu(pool(conv1 x)) is what
    /// conv2 reads; batch norm, when the network has it, is applied as in <see cref="CnnModel.Forward"/>.</summary>
    public static (Tensor Conv1, Tensor Conv2) Activations(CnnModel cnn, Tensor image)
    {
        bool training = cnn.Training;
        cnn.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var a1 = cnn.Conv1.Call(image);
            if (cnn.Bn1 is not null) a1 = cnn.Bn1.Call(a1);
            var pooled = Functional.MaxPool2d(a1, 2).Relu();                // conv2's input, as in the network
            var a2 = cnn.Conv2.Call(pooled);
            if (cnn.Bn2 is not null) a2 = cnn.Bn2.Call(a2);
            return (StretchEach(a1.Relu().Squeeze(0)), StretchEach(a2.Relu().Squeeze(0)));
        }
        finally
        {
            cnn.Train(training);
        }
    }

    /// <summary>Maps [N, H, W] to [N, 1, H, W] with each map stretched to [0, 1] on its own: (x − min) / (max − min);
    /// a constant map becomes 0 (black), so a dead unit reads as dead.</summary>
    public static Tensor StretchEach(Tensor maps)
    {
        var shape = maps.Shape;
        if (shape.Count != 3) throw new ArgumentException($"FeatureMaps.StretchEach: maps [{string.Join(", ", shape)}] must be [N, H, W]", nameof(maps));
        int n = shape[0], size = shape[1] * shape[2];
        float[] values = maps.Contiguous().To(DType.Float32).ToArray<float>();
        for (int k = 0; k < n; k++)
        {
            var map = values.AsSpan(k * size, size);
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            foreach (float v in map) { min = Math.Min(min, v); max = Math.Max(max, v); }
            float range = max - min;
            for (int i = 0; i < map.Length; i++) map[i] = range > 0 ? (map[i] - min) / range : 0;
        }
        return Tensor.FromArray<float>(values, [n, 1, shape[1], shape[2]]);
    }
}
