using System.Globalization;
using Nabla.Data;
using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Cli.Models;

/// <summary>Rebuilds the classifier a checkpoint holds, choosing the architecture by its "arch" metadata; a file
/// without metadata (as PyTorch's <c>save_file</c> writes) is read as the MLP its weight shapes imply.</summary>
/// <remarks>To add an architecture: a case in <see cref="Load"/> and its name in <see cref="Known"/>.</remarks>
internal static class ModelLoader
{
    /// <summary>The architectures this tool can rebuild.</summary>
    public static readonly string[] Known = [MlpFactory.Arch];

    /// <summary>Loads <paramref name="path"/>; <paramref name="command"/> ("eval", "predict") names the tool in errors.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt, names an unknown architecture, or its weights do not fit it.</exception>
    public static LoadedClassifier Load(string path, string command)
    {
        var state = Checkpoint.LoadModel(path, out var metadata);   // a training checkpoint's optimizer state is left out
        if (!metadata.TryGetValue(ModelMetadata.Arch, out string? arch))
            return Mlp(path, state, metadata, MlpFactory.InferLayers(state)
                ?? throw new InvalidDataException($"checkpoint {path} has no 'arch' metadata and its tensors ({string.Join(", ", state.Keys.Take(6))}) are not the N.weight matrices of a sequential MLP"));
        return arch switch
        {
            MlpFactory.Arch => Mlp(path, state, metadata, MlpFactory.ParseLayers(metadata.GetValueOrDefault("layers", ""))
                ?? throw new InvalidDataException($"checkpoint {path} has layers metadata '{metadata.GetValueOrDefault("layers", "")}'; expected sizes such as 784,512,256,10")),
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

    /// <summary>The recorded input shape, else one gray square image when the input size is a perfect square (784 → 1×28×28), else null.</summary>
    private static ImageShape? InputImage(string path, IReadOnlyDictionary<string, string> metadata, int features)
    {
        if (metadata.TryGetValue(ModelMetadata.InputShape, out string? text))
        {
            var shape = ImageShape.Parse(text)
                ?? throw new InvalidDataException($"checkpoint {path} has {ModelMetadata.InputShape} metadata '{text}'; expected C,H,W such as 1,28,28");
            if (shape.Features != features)
                throw new InvalidDataException($"checkpoint {path} has {ModelMetadata.InputShape} {text} ({shape.Features} values) but its network takes {features} inputs");
            return shape;
        }
        int side = (int)Math.Round(Math.Sqrt(features));
        return side * side == features ? new ImageShape(1, side, side) : null;
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
