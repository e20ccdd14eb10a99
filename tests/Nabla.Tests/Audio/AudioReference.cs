using Nabla.IO;
using Nabla.Tensors;

namespace Nabla.Tests.Audio;

/// <summary>The pinned reference values in Audio/Reference/*.safetensors (see the producing scripts beside them), and a
/// float32-tolerance comparison scaled to each tensor's range.</summary>
internal static class AudioReference
{
    private static readonly Dictionary<string, IReadOnlyDictionary<string, Tensor>> s_files = [];
    private static readonly Lock s_gate = new();

    /// <summary>Tensor <paramref name="name"/> of Reference/<paramref name="file"/>.safetensors.</summary>
    public static Tensor Get(string file, string name)
    {
        lock (s_gate)
        {
            if (!s_files.TryGetValue(file, out var tensors))
            {
                string path = Path.Combine(ArchitectureTests.RepoRoot(), "tests", "Nabla.Tests", "Audio", "Reference", file + ".safetensors");
                tensors = Checkpoint.Load(path);
                s_files[file] = tensors;
            }
            return tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"{file}.safetensors has no tensor '{name}'");
        }
    }

    /// <summary>Asserts equal shapes and |a − e| ≤ rtol·|e| + atol·max|e| for every element.</summary>
    public static void Close(Tensor expected, Tensor actual, string what, double rtol = 1e-4, double atol = 1e-5)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}].");
        var e = expected.To(DType.Float64).Contiguous().ToArray<double>();
        var a = actual.To(DType.Float64).Contiguous().ToArray<double>();
        double scale = e.Length == 0 ? 0 : e.Max(Math.Abs);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.Length; i++)
        {
            double excess = Math.Abs(a[i] - e[i]) - (rtol * Math.Abs(e[i]) + atol * scale);
            if (excess > worst) { worst = excess; worstAt = i; }
        }
        Assert.True(worstAt < 0, worstAt < 0 ? "" :
            $"{what}: element {worstAt} is {a[worstAt]:G9}, expected {e[worstAt]:G9} (|error| {Math.Abs(a[worstAt] - e[worstAt]):G3}, max |expected| {scale:G4}).");
    }
}
