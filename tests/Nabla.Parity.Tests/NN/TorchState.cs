using TorchSharp;
using Generator = Nabla.Tensors.Generator;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.NN;

/// <summary>Moves weights and tensors between a TorchSharp module and a Nabla one by state-dict name, and compares
/// gradients parameter by parameter.</summary>
internal static class TorchState
{
    /// <summary>A float32 Nabla copy of a TorchSharp tensor.</summary>
    public static NablaTensor ToNabla(torch.Tensor t) => NablaTensor.FromArray<float>(TorchOracle.Values(t), [.. t.shape.Select(d => (int)d)]);

    /// <summary>A TorchSharp copy of a Nabla tensor (float32, or bool for masks).</summary>
    public static torch.Tensor ToTorch(NablaTensor t, bool requiresGrad = false)
    {
        long[] shape = [.. t.Shape.Select(d => (long)d)];
        if (t.DType == Nabla.Tensors.DType.Bool) return torch.tensor(t.Contiguous().ToArray<bool>(), shape);
        return TorchOracle.Tensor(t.Contiguous().To(Nabla.Tensors.DType.Float32).ToArray<float>(), shape, requiresGrad);
    }

    /// <summary>Overwrites every parameter of <paramref name="module"/> with N(0, scale²) values from a Nabla generator, so
    /// that biases PyTorch initializes to zero take part in the comparison too.</summary>
    public static void Randomize(torch.nn.Module module, int seed, double scale = 0.3)
    {
        var g = new Generator(seed);
        using var _ = torch.no_grad();
        foreach (var (_, p) in module.named_parameters())
        {
            var values = NablaTensor.Randn([.. p.shape.Select(d => (int)d)], generator: g).Mul(scale);
            using var source = ToTorch(values);
            p.copy_(source);
        }
    }

    /// <summary>TorchSharp's state dict as Nabla tensors, keyed by PyTorch's names.</summary>
    public static Dictionary<string, NablaTensor> StateDict(torch.nn.Module module, string prefix = "")
    {
        var result = new Dictionary<string, NablaTensor>();
        foreach (var (name, t) in module.state_dict()) result[prefix + name] = ToNabla(t);
        return result;
    }

    /// <summary>Each named TorchSharp parameter's gradient against the Nabla parameter of that name.</summary>
    public static void AssertGradients(IEnumerable<(string Name, torch.Tensor Parameter)> oracle, Nabla.NN.Module nabla, double tolerance)
    {
        var mine = nabla.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        int compared = 0;
        foreach (var (name, p) in oracle)
        {
            Assert.True(mine.TryGetValue(name, out var n), $"Nabla has no parameter '{name}'.");
            var expected = p.grad is { } g ? Parity.Doubles(g) : new double[p.numel()];
            var actual = n!.Grad is { } h ? Read(h) : new double[n.NumEl];   // found just above
            Parity.Close(expected, actual, tolerance, $"gradient of {name}");
            compared++;
        }
        Assert.Equal(mine.Count, compared);
    }

    /// <summary>The values of a Nabla tensor as doubles, row-major.</summary>
    public static double[] Read(NablaTensor t) => [.. t.Contiguous().To(Nabla.Tensors.DType.Float64).ToArray<double>()];
}
