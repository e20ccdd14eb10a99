using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Cnn;

/// <summary>A LeNet-sized convolutional network, to show how few parameters convolution needs: [N, 1, 28, 28] →
/// conv1 (1 → 8, 5×5, pad 2) → max-pool 2 → ReLU → conv2 (8 → 16, 5×5) → max-pool 2 → ReLU → flatten (16·5·5 = 400)
/// → fc (400 → classes). 7,434 parameters for 10 classes.</summary>
internal sealed class SmallCnn : Module<Tensor, Tensor>
{
    /// <summary>Builds the network for 28×28 gray images, drawing the weights from <paramref name="generator"/>.</summary>
    public SmallCnn(int classes, Generator generator)
    {
        Conv1 = RegisterModule("conv1", new Conv2d(1, 8, 5, padding: 2, generator: generator));
        Conv2 = RegisterModule("conv2", new Conv2d(8, 16, 5, generator: generator));
        Fc = RegisterModule("fc", new Linear(16 * 5 * 5, classes, generator: generator));
    }

    /// <summary>conv1: 1 → 8, 5×5, padding 2 (28×28 stays 28×28).</summary>
    public Conv2d Conv1 { get; }

    /// <summary>conv2: 8 → 16, 5×5, no padding (14×14 → 10×10).</summary>
    public Conv2d Conv2 { get; }

    /// <summary>fc: 400 → classes.</summary>
    public Linear Fc { get; }

    /// <summary>Logits [N, classes] of images [N, 1, 28, 28].</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = Functional.MaxPool2d(Conv1.Call(input), 2).Relu();   // [N, 8, 14, 14]
        x = Functional.MaxPool2d(Conv2.Call(x), 2).Relu();           // [N, 16, 5, 5]
        return Fc.Call(x.Flatten(1));                                // [N, classes]
    }

    /// <inheritdoc/>
    public override string Describe() => "SmallCnn(conv 8-16 5×5, fc 400)";
}
