using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Models;

/// <summary>The multi-layer perceptron the CLI trains: Flatten, then Linear + ReLU per hidden layer, then a Linear to the classes.</summary>
/// <remarks>As <c>nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), …)</c>, so the state-dict keys are
/// PyTorch's ("1.weight", "1.bias", "3.weight", …) and checkpoints load in either framework.</remarks>
internal static partial class MlpFactory
{
    /// <summary>The architecture name written to checkpoint metadata.</summary>
    public const string Arch = "mlp";

    /// <summary>Builds the network for layer sizes [inputs, hidden…, classes].</summary>
    public static Sequential Build(IReadOnlyList<int> layers)
    {
        if (layers.Count < 2) throw new ArgumentException($"MLP: needs at least an input and an output size, got [{string.Join(", ", layers)}]");
        var model = new Sequential(new Flatten());
        for (int i = 0; i + 1 < layers.Count; i++)
        {
            model.Append(new Linear(layers[i], layers[i + 1]));
            if (i + 2 < layers.Count) model.Append(new ReLU());
        }
        return model;
    }

    /// <summary>"784-512-256-10".</summary>
    public static string Describe(IReadOnlyList<int> layers) => string.Join("-", layers);

    /// <summary>The checkpoint metadata that lets <c>nabla eval</c> rebuild the network.</summary>
    public static Dictionary<string, string> Metadata(IReadOnlyList<int> layers) => new()
    {
        ["arch"] = Arch,
        ["layers"] = string.Join(",", layers),
        ["activation"] = "relu",
    };

    /// <summary>Reads the "layers" metadata value ("784,512,256,10").</summary>
    public static int[]? ParseLayers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var layers = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out layers[i]) || layers[i] < 1) return null;
        return layers.Length >= 2 ? layers : null;
    }

    /// <summary>The layer sizes implied by the 2-D "N.weight" tensors of a sequential MLP, in module order,
    /// or null when they do not chain (each layer's inputs equal to the previous layer's outputs).</summary>
    public static int[]? InferLayers(IReadOnlyDictionary<string, Tensor> state)
    {
        var weights = LinearWeights(state);
        if (weights.Count == 0 || weights.Any(w => w.Dim != 2)) return null;
        var layers = new List<int> { weights[0].Shape[1] };
        foreach (var w in weights)
        {
            if (w.Shape[1] != layers[^1]) return null;
            layers.Add(w.Shape[0]);
        }
        return [.. layers];
    }

    /// <summary>Renames the checkpoint's linear layers onto <paramref name="model"/>'s by their order, so a
    /// PyTorch MLP without a leading Flatten ("0.weight", "2.weight", …) loads too.</summary>
    public static Dictionary<string, Tensor> AlignKeys(IReadOnlyDictionary<string, Tensor> state, Sequential model)
    {
        var ours = LinearIndices(model.StateDict().Keys);
        var theirs = LinearIndices(state.Keys);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in state)
        {
            var m = LinearKey().Match(key);
            int at = m.Success ? theirs.IndexOf(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) : -1;
            result[at >= 0 && at < ours.Count ? $"{ours[at]}.{m.Groups[2].Value}" : key] = value;
        }
        return result;
    }

    private static List<Tensor> LinearWeights(IReadOnlyDictionary<string, Tensor> state) =>
        [.. LinearIndices(state.Keys).Select(i => state[$"{i}.weight"])];

    private static List<int> LinearIndices(IEnumerable<string> keys) =>
        [.. keys.Select(k => LinearKey().Match(k)).Where(m => m.Success && m.Groups[2].Value == "weight")
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order()];

    [GeneratedRegex(@"^(\d+)\.(weight|bias)$")]
    private static partial Regex LinearKey();
}
