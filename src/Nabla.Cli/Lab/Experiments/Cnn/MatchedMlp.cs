using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Cnn;

/// <summary>The fully connected rival of a convolutional network: inputs → h → h → classes with ReLUs, its width h
/// chosen so that it has at least as many parameters as the network it is compared with.</summary>
internal static class MatchedMlp
{
    /// <summary>Parameters of inputs → h → h → classes with biases: (in + 1)·h + (h + 1)·h + (h + 1)·c
    /// = h² + (in + c + 2)·h + c.</summary>
    public static long Parameters(int inputs, int hidden, int classes) =>
        (long)hidden * hidden + (long)(inputs + classes + 2) * hidden + classes;

    /// <summary>The smallest width h whose network has at least <paramref name="target"/> parameters: the positive root
    /// of h² + (in + c + 2)·h + c − target = 0, rounded up, then corrected by one step for rounding error.</summary>
    public static int HiddenFor(long target, int inputs, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        double b = inputs + classes + 2, c = classes - target;
        int h = Math.Max(1, (int)Math.Ceiling((-b + Math.Sqrt(b * b - 4 * c)) / 2));
        while (h > 1 && Parameters(inputs, h - 1, classes) >= target) h--;
        while (Parameters(inputs, h, classes) < target) h++;
        return h;
    }

    /// <summary>Flatten → Linear(in, h) → ReLU → Linear(h, h) → ReLU → Linear(h, classes), drawn from <paramref name="generator"/>.</summary>
    public static Sequential Build(int inputs, int hidden, int classes, Generator generator) => new(
        new Flatten(),
        new Linear(inputs, hidden, generator: generator), new ReLU(),
        new Linear(hidden, hidden, generator: generator), new ReLU(),
        new Linear(hidden, classes, generator: generator));
}
