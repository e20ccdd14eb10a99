using Nabla.Benchmarks.Workloads;
using Nabla.Models;
using Nabla.NN;
using TorchSharp;
using Generator = Nabla.Tensors.Generator;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.Models;

/// <summary>The DCGAN's generator and discriminator against the same networks in TorchSharp, starting from Nabla's weights:
/// outputs, input gradients, every parameter's gradient and batch norm's running statistics, in training mode.</summary>
public sealed class DcganParityTests
{
    private const double Tolerance = 2e-4;   // batch norm divides by σ and the convolutions sum thousands of products

    [Fact]
    public void Generator_ForwardAndBackward_MatchTorch()
    {
        using var scope = torch.NewDisposeScope();
        var nabla = new DcganGenerator(generator: new Generator(1));
        using var oracle = new TorchDcganGenerator();
        Copy(nabla, oracle);
        var z = NablaTensor.Randn([8, 100], generator: new Generator(2)).RequiresGrad_();
        Compare(nabla, oracle, z, [8, 100], [8, 1, 28, 28]);
    }

    [Fact]
    public void Discriminator_ForwardAndBackward_MatchTorch()
    {
        using var scope = torch.NewDisposeScope();
        var nabla = new DcganDiscriminator(generator: new Generator(3));
        using var oracle = new TorchDcganDiscriminator();
        Copy(nabla, oracle);
        var x = NablaTensor.Rand([8, 1, 28, 28], generator: new Generator(4)).Mul(2).Sub(1).Detach().RequiresGrad_();
        Compare(nabla, oracle, x, [8, 1, 28, 28], [8, 1]);
    }

    private static void Compare(Module<NablaTensor, NablaTensor> nabla, torch.nn.Module<torch.Tensor, torch.Tensor> oracle, NablaTensor input,
        long[] inputShape, long[] outputShape)
    {
        var inputTorch = TorchOracle.Tensor(input.ToArray<float>(), inputShape, requiresGrad: true);
        var yn = nabla.Call(input);
        var yt = oracle.call(inputTorch);
        Assert.Equal(outputShape.Select(d => (int)d), yn.Shape);
        Parity.Close(Parity.Doubles(yt), Read(yn), Tolerance, "output");

        var v = NablaTensor.Randn([.. yn.Shape], generator: new Generator(5));
        yn.Mul(v).Sum().Backward();
        (yt * TorchOracle.Tensor(v.ToArray<float>(), outputShape)).sum().backward();
        Parity.Close(Parity.Doubles(inputTorch.grad!), Read(input.Grad!), Tolerance, "input gradient");
        var torchParameters = oracle.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in nabla.NamedParameters())
            Parity.Close(Parity.Doubles(torchParameters[name].grad!), Read(p.Grad!), Tolerance, $"gradient of {name}");
        var torchBuffers = oracle.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, b) in nabla.NamedBuffers().Where(b => b.Name.EndsWith("running_mean", StringComparison.Ordinal) || b.Name.EndsWith("running_var", StringComparison.Ordinal)))
            Parity.Close(Parity.Doubles(torchBuffers[name]), Read(b), 1e-5, name);
    }

    // Every parameter and buffer of Nabla's module into TorchSharp's, by state-dict name; a missing name fails the test.
    private static void Copy(Module from, torch.nn.Module to)
    {
        var source = from.StateDict();
        using var _ = torch.no_grad();
        foreach (var (name, parameter) in to.named_parameters())
            parameter.copy_(TorchOracle.Tensor(source[name].ToArray<float>(), [.. source[name].Shape.Select(d => (long)d)]));
        foreach (var (name, buffer) in to.named_buffers())
            if (buffer.dtype == torch.float32)
                buffer.copy_(TorchOracle.Tensor(source[name].ToArray<float>(), [.. source[name].Shape.Select(d => (long)d)]));
    }

    private static double[] Read(NablaTensor t) => Array.ConvertAll(t.Contiguous().ToArray<float>(), v => (double)v);
}
