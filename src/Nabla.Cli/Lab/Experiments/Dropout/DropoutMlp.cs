using Nabla.NN;
using Nabla.Tensors;
using DropoutLayer = Nabla.NN.Dropout;

namespace Nabla.Cli.Lab.Experiments.Dropout;

/// <summary>The network of the dropout paper's MNIST experiments: 784 → 800 → 800 → 10 with ReLUs and dropout with
/// probability p after each hidden layer (active in training mode only; p = 0 is the plain network).</summary>
internal static class DropoutMlp
{
    /// <summary>Builds the network; the weights come from <paramref name="weights"/> (equal seeds give equal weights
    /// whatever p is, as dropout layers hold none) and the dropout masks from <paramref name="masks"/>.</summary>
    public static Sequential Build(int hidden, double p, Generator weights, Generator masks) => new(
        new Flatten(),
        new Linear(28 * 28, hidden, generator: weights), new ReLU(), new DropoutLayer(p, masks),
        new Linear(hidden, hidden, generator: weights), new ReLU(), new DropoutLayer(p, masks),
        new Linear(hidden, 10, generator: weights));
}
