using TorchSharp;

namespace Nabla.Benchmarks.Workloads;

/// <summary>Copies a Nabla module's parameters into a TorchSharp module by state-dict name, so both libraries start from
/// the same weights; a name missing on Nabla's side is an error, which also proves the two name their layers alike.</summary>
internal static class TorchWeights
{
    public static void Copy(string workload, NN.Module from, torch.nn.Module to)
    {
        var source = from.StateDict();
        using var _ = torch.no_grad();
        foreach (var (name, parameter) in to.named_parameters())
        {
            if (!source.TryGetValue(name, out var value))
                throw new InvalidOperationException($"{workload}: TorchSharp parameter '{name}' has no Nabla counterpart (Nabla has {string.Join(", ", source.Keys)}).");
            using var copy = torch.tensor(value.ToArray<float>(), [.. value.Shape.Select(d => (long)d)]);
            parameter.copy_(copy);
        }
    }
}
