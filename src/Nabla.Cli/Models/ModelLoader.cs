using System.Globalization;
using Nabla.Data;
using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Cli.Models;

/// <summary>Rebuilds the classifier a checkpoint holds, choosing the architecture by its "arch" metadata; a file
/// without metadata (as PyTorch's <c>save_file</c> writes) is read as the <see cref="Nabla.Models.Cnn"/> when it has its
/// layer names (conv1, conv2, fc1, fc2), else as the MLP its weight shapes imply.</summary>
/// <remarks>To add an architecture: a case in <see cref="Load"/> and its name in <see cref="Known"/>.</remarks>
internal static class ModelLoader
{
    /// <summary>The architectures this tool can rebuild.</summary>
    public static readonly string[] Known = [MlpFactory.Arch, CnnFactory.Arch];

    /// <summary>Loads <paramref name="path"/>; <paramref name="command"/> ("eval", "predict") names the tool in errors.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt, names an unknown architecture, or its weights do not fit it.</exception>
    public static LoadedClassifier Load(string path, string command)
    {
        var state = Checkpoint.LoadModel(path, out var metadata);   // a training checkpoint's optimizer state is left out
        if (!metadata.TryGetValue(ModelMetadata.Arch, out string? arch))
        {
            if (CnnFactory.HasCnnKeys(state)) return Cnn(path, state, metadata);
            return Mlp(path, state, metadata, MlpFactory.InferLayers(state)
                ?? throw new InvalidDataException($"checkpoint {path} has no 'arch' metadata and its tensors ({string.Join(", ", state.Keys.Take(6))}) are neither the N.weight matrices of a sequential MLP nor the conv1, conv2, fc1, fc2 layers of the CNN"));
        }
        return arch switch
        {
            MlpFactory.Arch => Mlp(path, state, metadata, MlpFactory.ParseLayers(metadata.GetValueOrDefault("layers", ""))
                ?? throw new InvalidDataException($"checkpoint {path} has layers metadata '{metadata.GetValueOrDefault("layers", "")}'; expected sizes such as 784,512,256,10")),
            CnnFactory.Arch => Cnn(path, state, metadata),
            _ => throw new InvalidDataException($"checkpoint {path} holds a '{arch}' model; nabla {command} can rebuild: {string.Join(", ", Known)}"),
        };
    }

    private static LoadedClassifier Mlp(string path, IReadOnlyDictionary<string, Tensor> state, IReadOnlyDictionary<string, string> metadata, int[] layers)
    {
        var model = MlpFactory.Build(layers);
        model.LoadStateDict(MlpFactory.AlignKeys(state, model), strict: true);
        var image = InputImage(path, metadata, layers[0]);
        var (mean, std) = Normalization(path, metadata);
        return new LoadedClassifier(model, MlpFactory.Arch, $"MLP {MlpFactory.Describe(layers)}", layers[0], image, layers[^1], mean, std);
    }

    // Without input_shape metadata the image is taken to be MNIST's 28×28, with conv1's input channels.
    private static LoadedClassifier Cnn(string path, IReadOnlyDictionary<string, Tensor> state, IReadOnlyDictionary<string, string> metadata)
    {
        int classes = CnnFactory.Classes(path, state, metadata);
        bool batchNorm = CnnFactory.BatchNorm(path, state, metadata);
        var image = metadata.ContainsKey(ModelMetadata.InputShape)
            ? InputImage(path, metadata, features: null)!.Value   // with the key present it returns a shape or throws
            : new ImageShape(CnnFactory.InputChannels(state), 28, 28);
        string title = CnnFactory.Title(classes, batchNorm);
        var model = CnnFactory.Build(image, classes, batchNorm);
        try
        {
            model.LoadStateDict(state, strict: true);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"checkpoint {path}: its tensors do not fit the {title} for {image.Channels}×{image.Height}×{image.Width} images: {e.Message}", e);
        }
        var (mean, std) = Normalization(path, metadata);
        return new LoadedClassifier(model, CnnFactory.Arch, title, image.Features, image, classes, mean, std);
    }

    /// <summary>The recorded input shape, else one gray square image when the input size is a perfect square (784 → 1×28×28), else null.
    /// <paramref name="features"/>, when given, is what the network takes and the recorded shape must hold.</summary>
    private static ImageShape? InputImage(string path, IReadOnlyDictionary<string, string> metadata, int? features)
    {
        if (metadata.TryGetValue(ModelMetadata.InputShape, out string? text))
        {
            var shape = ImageShape.Parse(text)
                ?? throw new InvalidDataException($"checkpoint {path} has {ModelMetadata.InputShape} metadata '{text}'; expected C,H,W such as 1,28,28");
            if (features is not null && shape.Features != features)
                throw new InvalidDataException($"checkpoint {path} has {ModelMetadata.InputShape} {text} ({shape.Features} values) but its network takes {features} inputs");
            return shape;
        }
        if (features is not int count) return null;
        int side = (int)Math.Round(Math.Sqrt(count));
        return side * side == count ? new ImageShape(1, side, side) : null;
    }

    /// <summary>The recorded normalization, else MNIST's (every classifier this tool trained before it was recorded used it).</summary>
    private static (float Mean, float Std) Normalization(string path, IReadOnlyDictionary<string, string> metadata) =>
        (Number(path, metadata, ModelMetadata.NormalizeMean, MnistDataset.Mean), Number(path, metadata, ModelMetadata.NormalizeStd, MnistDataset.Std));

    private static float Number(string path, IReadOnlyDictionary<string, string> metadata, string key, float fallback)
    {
        if (!metadata.TryGetValue(key, out string? text)) return fallback;
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value)
            || (key == ModelMetadata.NormalizeStd && value <= 0))
            throw new InvalidDataException($"checkpoint {path} has {key} metadata '{text}'; expected a finite number{(key == ModelMetadata.NormalizeStd ? " above 0" : "")}");
        return value;
    }
}
