using System.Text.RegularExpressions;

namespace Nabla.Tests;

/// <summary>Keeps the layering of docs/ARCHITECTURE.md: a folder of src/Nabla may use only the layers above it.</summary>
public sealed partial class ArchitectureTests
{
    // Layer order, top first. A layer may reference namespaces of layers before it, never after.
    private static readonly string[] Layers = ["Kernels", "Tensors", "Autograd", "NN", "Optim", "IO", "Data", "Audio"];

    public static TheoryData<string> LayerNames() => [.. Layers];

    [Theory, MemberData(nameof(LayerNames))]
    public void Layer_ReferencesOnlyLayersAboveIt(string layer)
    {
        string root = Path.Combine(RepoRoot(), "src", "Nabla", layer);
        int index = Array.IndexOf(Layers, layer);
        var forbidden = Layers.Skip(index + 1).ToArray();
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            foreach (Match m in NablaNamespace().Matches(text))
            {
                string used = m.Groups[1].Value;
                if (forbidden.Contains(used)) violations.Add($"{Path.GetRelativePath(root, file)} uses Nabla.{used}");
            }
        }
        Assert.Empty(violations);
    }

    [Fact]
    public void Kernels_DoNotKnowTensors()
    {
        string root = Path.Combine(RepoRoot(), "src", "Nabla", "Kernels");
        var offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => TensorType().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f)).ToList();
        Assert.Empty(offenders);
    }

    /// <summary>The repository root: found from this source file's compile-time path (test outputs may live elsewhere).</summary>
    internal static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile) ?? AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Nabla.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root (Nabla.slnx) not found above " + sourceFile);
    }

    [GeneratedRegex(@"\bNabla\.(Kernels|Tensors|Autograd|NN|Optim|Data|IO|Audio)\b")]
    private static partial Regex NablaNamespace();

    [GeneratedRegex(@"\bTensor\b(?!Primitives)")]
    private static partial Regex TensorType();
}
