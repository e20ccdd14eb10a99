using Nabla.Cli.Lab.Common;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.VanishingExploding;

/// <summary>A vanilla tanh RNN on <see cref="SumTask"/>, started in the exploding regime and trained by SGD with and
/// without clipping the gradient norm.</summary>
/// <param name="Task">The sequence task.</param>
/// <param name="Hidden">Hidden units H.</param>
/// <param name="RecurrentGain">g: W_hh starts as N(0, g²/H), so its spectral radius is about g (circular law).</param>
/// <param name="LearningRate">SGD's learning rate (momentum 0.9).</param>
/// <param name="BatchSize">Fresh sequences per step.</param>
internal sealed record ExplodingRnn(SumTask Task, int Hidden, double RecurrentGain, double LearningRate, int BatchSize)
{
    /// <summary>SGD's momentum.</summary>
    public const double Momentum = 0.9;

    /// <summary>The model <paramref name="seed"/> starts from: a one-layer batch-first tanh RNN and a linear read-out of
    /// h_T, with PyTorch's initialization except W_hh.</summary>
    public RecurrentClassifier Build(long seed)
    {
        var generator = new Generator(seed);
        var model = new RecurrentClassifier(RecurrentKind.Rnn, 1, Hidden, 1, generator);
        Init.Normal(RecurrentWeight(model), 0, RecurrentGain / Math.Sqrt(Hidden), generator);
        return model;
    }

    /// <summary>Trains a fresh model for <paramref name="steps"/> steps; <paramref name="maxNorm"/> = +∞ trains without
    /// clipping. The same seed gives the same initial weights and the same batches with and without clipping.</summary>
    public RnnRun Train(long seed, int steps, double maxNorm)
    {
        var model = Build(seed);
        var optimizer = new Sgd(model.Parameters(), lr: LearningRate, momentum: Momentum);
        var data = new Generator(seed + 7919);
        var losses = new double[steps];
        var norms = new double[steps];
        for (int step = 0; step < steps; step++)
        {
            var (x, y) = Task.Sample(BatchSize, data);
            var loss = Functional.MseLoss(model.Call(x), y);
            optimizer.ZeroGrad();
            loss.Backward();
            // ClipGradNorm returns the norm before clipping; with maxNorm = ∞ it only measures it.
            norms[step] = GradientClipping.ClipGradNorm(model.Parameters(), maxNorm);
            optimizer.Step();
            losses[step] = loss.Item();
        }
        return new RnnRun(seed, maxNorm, losses, norms);
    }

    /// <summary>g_k = ‖∂L/∂x_(T−k)‖ for k = 0 … T−1 at initialization, averaged over a batch of sequences (each its own
    /// loss): how strongly the loss still depends on the input k steps before the end, which is the gradient that
    /// backpropagation through time carries k steps back (∂L/∂x_t = W_ihᵀ·diag(1 − h_t²)·∂L/∂h_t).</summary>
    public double[] GradientThroughTime(long seed, int batchSize)
    {
        var model = Build(seed);
        var (x, y) = Task.Sample(batchSize, new Generator(seed + 7919));
        return InputGradients.Profile(model, (output, target) => Functional.MseLoss(output, target), x, y);
    }

    private static Parameter RecurrentWeight(RecurrentClassifier model) =>
        model.NamedParameters().First(n => n.Name == "rnn.weight_hh_l0").Parameter;
}
