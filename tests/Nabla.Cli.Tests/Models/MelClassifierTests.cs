using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Models;

/// <summary>The speech model: PyTorch's state-dict names, its size, clips of any length, gradients, and input checks.</summary>
public sealed class MelClassifierTests
{
    [Fact]
    public void MelClassifier_HasTheModulesNamesAndSize()
    {
        var model = new MelClassifier(10, 40, new Generator(1));
        Assert.Equal(29_930, model.ParameterCount());
        Assert.Equal(["conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"],
            model.StateDict().Keys.Take(7));
        Assert.Equal([10, 640], model.Fc.Weight.Shape);
    }

    [Fact]
    public void MelClassifier_TakesClipsOfAnyLengthAndTrains()
    {
        var model = new MelClassifier(10, 40, new Generator(2));
        var generator = new Generator(3);
        Assert.Equal([2, 10], model.Call(Tensor.Randn([2, 1, 40, 101], generator: generator)).Shape);
        var logits = model.Call(Tensor.Randn([3, 1, 40, 37], generator: generator));
        Assert.Equal([3, 10], logits.Shape);
        logits.Sum().Backward();
        Assert.NotNull(model.Conv1.Weight.Grad);
    }

    [Fact]
    public void MelClassifier_RefusesOtherMelCounts()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new MelClassifier(10, 40).Call(Tensor.Zeros([1, 1, 64, 101])));
        Assert.Equal("MelClassifier(conv 16-32-64, mels=40, classes=10): input [1, 1, 64, 101] must be log-mel spectrograms [N, 1, 40, frames ≥ 4].", e.Message);
    }
}
