using Nabla.Models;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Models;

/// <summary>The reference CNN: PyTorch's state-dict names, shapes, parameter counts and input checks.</summary>
public sealed class CnnTests
{
    [Fact]
    public void StateDict_HasThePyTorchModulesNamesInRegistrationOrder()
    {
        var model = new Cnn();
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
            model.StateDict().Keys);
        Assert.Equal([32, 1, 3, 3], model.StateDict()["conv1.weight"].Shape);
        Assert.Equal([64, 32, 3, 3], model.StateDict()["conv2.weight"].Shape);
        Assert.Equal([128, 3136], model.StateDict()["fc1.weight"].Shape);
        Assert.Equal([10, 128], model.StateDict()["fc2.weight"].Shape);
        Assert.Equal(421_642, model.ParameterCount());
    }

    [Fact]
    public void StateDict_WithBatchNorm_PutsEachNormAfterItsLayer()
    {
        var model = new Cnn(classes: 5, batchNorm: true);
        string[] norm(string name) => [$"{name}.weight", $"{name}.bias", $"{name}.running_mean", $"{name}.running_var", $"{name}.num_batches_tracked"];
        Assert.Equal(
            ["conv1.weight", "conv1.bias", .. norm("bn1"), "conv2.weight", "conv2.bias", .. norm("bn2"), "fc1.weight", "fc1.bias", .. norm("bn3"), "fc2.weight", "fc2.bias"],
            model.StateDict().Keys);
        Assert.Equal([5, 128], model.StateDict()["fc2.weight"].Shape);
        // 421,642 − 129·5 (four fewer classes) + 2·(32 + 64 + 128) for the norms' γ and β.
        Assert.Equal(421_642 - 129 * 5 + 448, model.ParameterCount());
        Assert.Equal(["conv1", "bn1", "conv2", "bn2", "fc1", "bn3", "dropout", "fc2"], model.NamedChildren().Select(c => c.Name));
    }

    [Fact]
    public void Forward_GivesLogitsPerClass_AndDropoutOnlyInTraining()
    {
        Generator.ManualSeed(3);
        var model = new Cnn(classes: 7, batchNorm: true);
        var x = Tensor.Randn([4, 1, 28, 28]);
        Assert.Equal([4, 7], model.Call(x).Shape);

        model.Eval();
        using var _ = Tensor.NoGrad();
        var a = model.Call(x);
        var b = model.Call(x);
        Assert.True(a.AllClose(b, rtol: 0, atol: 0), "evaluation mode must be deterministic");
    }

    [Fact]
    public void OtherImageSizes_SizeFc1ByTwoPoolings()
    {
        var model = new Cnn(classes: 3, inChannels: 3, height: 32, width: 18);
        Assert.Equal(64 * 8 * 4, model.Features);   // ⌊32/4⌋ × ⌊18/4⌋
        Assert.Equal([128, 64 * 8 * 4], model.StateDict()["fc1.weight"].Shape);
        Assert.Equal([32, 3, 3, 3], model.StateDict()["conv1.weight"].Shape);
        Assert.Equal([2, 3], model.Call(Tensor.Zeros([2, 3, 32, 18])).Shape);
    }

    [Fact]
    public void Forward_RefusesImagesOfAnotherShape()
    {
        var model = new Cnn();
        var e = Assert.Throws<ShapeMismatchException>(() => model.Call(Tensor.Zeros([2, 1, 32, 32])));
        Assert.Equal("Cnn(1×28×28 → 10): input [2, 1, 32, 32] must be images [N, 1, 28, 28].", e.Message);
        Assert.Throws<ShapeMismatchException>(() => model.Call(Tensor.Zeros([2, 784])));
    }

    [Fact]
    public void Constructor_RefusesTooFewClassesOrTooSmallImages()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cnn(classes: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cnn(height: 3));
    }

    [Fact]
    public void LoadStateDict_RoundTripsBetweenTwoInstances()
    {
        Generator.ManualSeed(1);
        var a = new Cnn(batchNorm: true);
        Generator.ManualSeed(2);
        var b = new Cnn(batchNorm: true);
        b.LoadStateDict(a.StateDict(), strict: true);
        foreach (var (key, t) in a.StateDict())
            Assert.True(t.AllClose(b.StateDict()[key], rtol: 0, atol: 0), key);
    }
}
