using System.Globalization;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Cli.Models;

/// <summary>The convolutional classifier the CLI trains (<see cref="Cnn"/>): its checkpoint metadata, its name for
/// people, and how a checkpoint's tensors tell its class count and batch norm when the metadata does not.</summary>
internal static class CnnFactory
{
    /// <summary>The architecture name written to checkpoint metadata.</summary>
    public const string Arch = "cnn";

    /// <summary>Metadata key: the number of classes.</summary>
    public const string ClassesKey = "classes";

    /// <summary>Metadata key: "true" when batch normalization follows conv1, conv2 and fc1.</summary>
    public const string BatchNormKey = "batch_norm";

    /// <summary>Builds the network for images of <paramref name="image"/> shape.</summary>
    public static Cnn Build(ImageShape image, int classes, bool batchNorm) =>
        new(classes, batchNorm, image.Channels, image.Height, image.Width);

    /// <summary>"CNN conv 32-64, fc 128-10" with ", batch norm" when it has it.</summary>
    public static string Title(int classes, bool batchNorm) =>
        string.Create(CultureInfo.InvariantCulture, $"CNN conv {Cnn.Channels1}-{Cnn.Channels2}, fc {Cnn.Hidden}-{classes}{(batchNorm ? ", batch norm" : "")}");

    /// <summary>The metadata that lets <c>nabla eval</c> and <c>nabla predict</c> rebuild the network (the input shape and
    /// normalization are added by the caller, as for every classifier).</summary>
    public static Dictionary<string, string> Metadata(int classes, bool batchNorm) => new()
    {
        [ModelMetadata.Arch] = Arch,
        [ClassesKey] = classes.ToString(CultureInfo.InvariantCulture),
        [BatchNormKey] = batchNorm ? "true" : "false",
        ["conv_channels"] = $"{Cnn.Channels1},{Cnn.Channels2}",
        ["hidden"] = Cnn.Hidden.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Whether a state dict has the <see cref="Cnn"/>'s layer names (conv1, conv2, fc1, fc2), as one saved by
    /// PyTorch from the same module without metadata would.</summary>
    public static bool HasCnnKeys(IReadOnlyDictionary<string, Tensor> state) =>
        state.ContainsKey("conv1.weight") && state.ContainsKey("conv2.weight") && state.ContainsKey("fc1.weight") && state.ContainsKey("fc2.weight");

    /// <summary>The "classes" metadata, else the rows of fc2.weight.</summary>
    public static int Classes(string path, IReadOnlyDictionary<string, Tensor> state, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.TryGetValue(ClassesKey, out string? text))
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int classes) && classes >= 2 ? classes
                : throw new InvalidDataException($"checkpoint {path} has {ClassesKey} metadata '{text}'; expected a whole number of at least 2");
        return state.TryGetValue("fc2.weight", out var fc2) && fc2.Dim == 2 ? fc2.Shape[0]
            : throw new InvalidDataException($"checkpoint {path} holds a CNN without '{ClassesKey}' metadata or an fc2.weight matrix to count its classes");
    }

    /// <summary>The "batch_norm" metadata, else whether the tensors include bn1's.</summary>
    public static bool BatchNorm(string path, IReadOnlyDictionary<string, Tensor> state, IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(BatchNormKey, out string? text)
            ? text switch
            {
                "true" => true,
                "false" => false,
                _ => throw new InvalidDataException($"checkpoint {path} has {BatchNormKey} metadata '{text}'; expected true or false"),
            }
            : state.ContainsKey("bn1.weight") || state.ContainsKey("bn1.running_mean");

    /// <summary>The input channels conv1.weight [32, C, 3, 3] takes, for a checkpoint that does not record its input shape.</summary>
    public static int InputChannels(IReadOnlyDictionary<string, Tensor> state) =>
        state.TryGetValue("conv1.weight", out var w) && w.Dim == 4 ? w.Shape[1] : 1;
}
