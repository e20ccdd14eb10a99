using Nabla.Cli.Generative;
using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Plots;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;
using CnnModel = Nabla.Models.Cnn;

namespace Nabla.Cli.Lab.Experiments.Cnn;

/// <summary>What convolution buys: the CNN of <c>nabla train cnn</c> against a dense network with at least as many
/// parameters, trained on the same MNIST images with the same seed, optimizer and steps, plus a LeNet-sized CNN
/// 57 times smaller; and what the CNN learned, as images of its filters and of one digit's feature maps.</summary>
internal sealed class CnnExperiment : ILabExperiment
{
    /// <summary>The verdict's margin: the CNN's test error must be this many percentage points below the MLP's.</summary>
    public const double MarginPoints = 0.5;

    private const int Classes = 10, Side = 28, Pixels = Side * Side;
    private const double LearningRate = 1e-3;

    /// <inheritdoc/>
    public string Name => "cnn";

    /// <inheritdoc/>
    public string Title => "What convolution buys: a CNN against an MLP of the same size on MNIST";

    /// <inheritdoc/>
    public string Claim => "A convolutional network classifies images more accurately than a fully connected network with as many parameters, because it shares small local filters across the image.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        int trainCount = context.Pick(120, 20_000, 60_000), testCount = context.Pick(60, 10_000, 10_000);
        int epochs = context.Pick(1, 2, 2), batchSize = context.Pick(32, 64, 64);
        var train = ClassifierTrainer.Head(context.Mnist(train: true, normalize: true), trainCount);
        var test = ClassifierTrainer.Head(context.Mnist(train: false, normalize: true), testCount);
        int steps = epochs * ((train.Count + batchSize - 1) / batchSize);

        var cnn = new CnnModel(Classes, generator: context.Random(1));
        long cnnParameters = cnn.ParameterCount();
        int hidden = MatchedMlp.HiddenFor(cnnParameters, Pixels, Classes);
        var mlp = MatchedMlp.Build(Pixels, hidden, Classes, context.Random(2));
        var small = new SmallCnn(Classes, context.Random(3));
        var contenders = new (string Name, Module<Tensor, Tensor> Model)[]
        {
            ($"CNN conv {CnnModel.Channels1}-{CnnModel.Channels2}, fc {CnnModel.Hidden}", cnn),
            ($"MLP {Pixels}-{hidden}-{hidden}-{Classes}", mlp),
            ("small CNN conv 8-16 5×5", small),
        };

        report.Setup($"Three classifiers are trained on the same {LabFormat.N(train.Count)} MNIST training images (normalized by MNIST's mean and standard deviation), "
            + $"in the same shuffled order, for {epochs} epoch(s) of batch {batchSize} = {LabFormat.N(steps)} steps each, with Adam (lr {LabFormat.G(LearningRate)}), "
            + $"seed {context.Seed}; each is then tested on {LabFormat.N(test.Count)} test images.");
        report.SetupList(
            $"**CNN** (`Nabla.Models.Cnn`, the model of `nabla train cnn`): conv 3×3 1→32, max-pool, conv 3×3 32→64, max-pool, fc 3136→128, dropout 0.5, fc 128→10; **{LabFormat.N(cnnParameters)}** parameters ({Breakdown(cnn)}).",
            $"**MLP** 784→{hidden}→{hidden}→10 with ReLUs, its width chosen as the smallest with at least the CNN's parameter count: **{LabFormat.N(mlp.ParameterCount())}** parameters ({Breakdown(mlp)}).",
            $"**Small CNN** (LeNet-sized, for scale): conv 5×5 1→8, max-pool, conv 5×5 8→16, max-pool, fc 400→10; **{LabFormat.N(small.ParameterCount())}** parameters.",
            "Every layer starts from PyTorch's default initialization, drawn from the run's seed.");

        var results = new List<(string Name, long Parameters, ClassifierTrainer.History History)>();
        foreach (var (name, model) in contenders)
        {
            context.Say($"training {name} ({LabFormat.N(model.ParameterCount())} parameters, {LabFormat.N(steps)} steps)");
            Generator.ManualSeed(context.Seed);   // the CNN's dropout draws from the default generator
            var history = ClassifierTrainer.Train(model, new Adam(model.Parameters(), lr: LearningRate), train, test, epochs, batchSize,
                context.Seed, log: context.Say);
            results.Add((name, model.ParameterCount(), history));
        }

        var table = new LabTable("model", "parameters", "test accuracy", "test error", "train accuracy", "training time");
        foreach (var (name, parameters, history) in results)
            table.Row(name, LabFormat.N(parameters), LabFormat.Percent(history.Last.TestAccuracy), LabFormat.Percent(1 - history.Last.TestAccuracy),
                LabFormat.Percent(history.Last.TrainAccuracy), LabFormat.Seconds(history.Seconds));
        report.Section("Accuracy per parameter").Table(table)
            .Text("Training time includes evaluating the training and test sets after every epoch. A convolution reuses each weight at every position, "
                + "so it costs far more arithmetic per parameter than a dense layer: compare the times of the CNN and the MLP, which have almost the same number of parameters.");

        var cnnRun = results[0].History;
        var mlpRun = results[1].History;
        double cnnError = 1 - cnnRun.Last.TestAccuracy, mlpError = 1 - mlpRun.Last.TestAccuracy;
        double advantage = 100 * (mlpError - cnnError);
        report.Number("cnn_parameters", cnnParameters).Number("mlp_parameters", mlp.ParameterCount()).Number("small_cnn_parameters", small.ParameterCount())
            .Number("cnn_test_accuracy", cnnRun.Last.TestAccuracy).Number("mlp_test_accuracy", mlpRun.Last.TestAccuracy)
            .Number("small_cnn_test_accuracy", results[2].History.Last.TestAccuracy).Number("error_advantage_points", advantage)
            .Number("cnn_seconds", cnnRun.Seconds).Number("mlp_seconds", mlpRun.Seconds);

        double beta = context.Pick(0.8, 0.95, 0.98);
        Chart.Save(context.PathOf("loss.png"), "Training loss (smoothed)", "step", "cross-entropy",
            results.Select(r => new Chart.Series(r.Name, [.. Enumerable.Range(1, r.History.StepLosses.Count).Select(s => (double)s)],
                LossSmoothing.Ema(r.History.StepLosses, beta))), logY: true);
        report.Image("loss.png", $"Training loss of the three networks per step (exponential moving average, β = {beta}); same data order for all.");

        DrawWhatTheCnnLearned(context, report, cnn, mlp);

        long convParameters = cnn.Conv1.ParameterCount() + cnn.Conv2.ParameterCount();
        report.Section("Why");
        report.Text($"A dense layer connects every pixel to every unit: the MLP's first layer alone has 784 × {hidden} weights, and a stroke it learns to detect at one position "
            + "must be learned again at every other position. A convolution applies the same small filter at every position, `y[c,i,j] = b[c] + Σ w[c,c',u,v] · x[c',i+u,j+v]` "
            + $"(the sum over input channels c' and filter offsets u, v), so its parameter count, `k²·C_in·C_out + C_out`, does not depend on the image size (conv1 has {LabFormat.N(cnn.Conv1.ParameterCount())} for a 28×28 image), "
            + "and what it learns at one place is known everywhere: the layer is translation-equivariant, and max-pooling adds a little invariance to small shifts. "
            + "These are true facts about images (nearby pixels belong together; a digit moved one pixel is the same digit), built into the architecture instead of learned from data, "
            + "so the CNN should spend its parameters on composing local features rather than on memorizing positions, and generalize better at equal size. "
            + $"Note where the CNN's parameters are: the two convolutions hold {LabFormat.N(convParameters)} ({LabFormat.Percent((double)convParameters / cnnParameters, 1)}), the dense fc1 on top holds most of the rest; "
            + $"the LeNet-sized network, two small convolutions and one small dense layer, reached {LabFormat.Percent(results[2].History.Last.TestAccuracy)} with {LabFormat.N(small.ParameterCount())} parameters.");

        // Two standard errors of the difference: what the test set's size alone could produce (decides small runs).
        double noise = 200 * AccuracyStatistics.DifferenceStandardError(cnnRun.Last.TestAccuracy, mlpRun.Last.TestAccuracy, test.Count);
        bool fits = cnnParameters <= mlp.ParameterCount();
        var verdict = VerdictText.From(fits && advantage >= Math.Max(MarginPoints, noise), !fits || advantage <= -noise);
        report.Number("noise_points", noise);
        report.Text($"Verdict rule: **supported** if the CNN has no more parameters than the MLP and its test error is lower by at least {LabFormat.F(MarginPoints, 1)} percentage points "
            + "and by at least two standard errors of the difference (`2·√(e₁(1−e₁)/n + e₂(1−e₂)/n)`, what chance alone gives on n test images); "
            + "**not supported** if the CNN has more parameters or its error is higher by two standard errors; inconclusive in between.");
        report.Conclude(verdict,
            $"CNN test error {LabFormat.Percent(cnnError)} with {LabFormat.N(cnnParameters)} parameters vs the MLP's {LabFormat.Percent(mlpError)} with {LabFormat.N(mlp.ParameterCount())}: "
            + $"{LabFormat.F(advantage, 2)} points lower (needed: {LabFormat.F(Math.Max(MarginPoints, noise), 2)}, two standard errors being {LabFormat.F(noise, 2)}).");

        report.Change("--seed S draws other initializations and another data order; --threads N sets the CPU threads.");
        report.Change($"Training length and data: `trainCount`, `epochs` and `batchSize` at the top of `CnnExperiment.Run` (now {LabFormat.N(train.Count)} images, {epochs} epoch(s), batch {batchSize}).");
        report.Change("The rival MLP: `MatchedMlp.Build` (two equal hidden layers sized by `MatchedMlp.HiddenFor`); the small CNN: `SmallCnn`.");
    }

    // Filters, one digit's feature maps and the MLP's first-layer weights. A quick run may show a longer-trained CNN of
    // an earlier `nabla train cnn` run instead of the one trained here, which saw only a few hundred steps.
    private static void DrawWhatTheCnnLearned(LabContext context, LabReport report, CnnModel trained, Sequential mlp)
    {
        var shown = trained;
        string source = "the CNN trained above";
        float mean = MnistDataset.Mean, std = MnistDataset.Std;
        if (context.Scale == LabScale.Quick && RunFinder.Find(context.RunsDirectory, "train cnn") is { } checkpoint)
        {
            var loaded = ModelLoader.Load(checkpoint, "lab");
            if (loaded.Model is CnnModel earlier && loaded.Image is { Channels: 1, Height: Side, Width: Side })
            {
                (shown, mean, std) = (earlier, loaded.Mean, loaded.Std);
                source = $"the CNN of an earlier `nabla train cnn` run ({checkpoint})";
                report.Reuse(checkpoint);
            }
        }

        var rawTest = context.Mnist(train: false);
        int index = 0;
        long label = rawTest.Targets.Narrow(0, index, 1).ToArray<long>()[0];
        var digit = rawTest.Inputs.Narrow(0, index, 1);                                   // [1, 1, 28, 28] in [0, 1]
        var (conv1, conv2) = FeatureMaps.Activations(shown, digit.Sub(mean).Div(std));

        report.Section("What the CNN learned");
        report.Text($"The images below come from {source}. Each tile is stretched to black (its minimum) … white (its maximum) on its own.");
        ImageGrid.Save(context.PathOf("filters.png"), FeatureMaps.Filters(shown.Conv1), columns: 8, scale: 16, title: "conv1 filters, 3×3", gap: 8);
        report.Image("filters.png", "The 32 first-layer filters (3×3, enlarged): small oriented edge and blob detectors, each applied at every position of the image.");
        var withInput = Tensor.Cat([FeatureMaps.StretchEach(digit.Squeeze(0)), conv1]);
        ImageGrid.Save(context.PathOf("conv1-maps.png"), withInput, columns: 11, scale: 2, title: $"test digit {label} and relu(conv1)");
        report.Image("conv1-maps.png", $"Test image {index} (label {label}, first tile) and its 32 feature maps after conv1 and ReLU (28×28): each map lights up where its filter's edge occurs.");
        ImageGrid.Save(context.PathOf("conv2-maps.png"), conv2, columns: 16, scale: 3, title: "relu(conv2), 14×14");
        report.Image("conv2-maps.png", "The same digit's 64 feature maps after pooling, conv2 and ReLU (14×14): combinations of conv1's edges, coarser and more specific.");
        var first = (Linear)mlp[1];
        ImageGrid.Save(context.PathOf("mlp-weights.png"), FeatureMaps.DenseTemplates(first, 32, Side), columns: 8, scale: 2, title: "MLP first-layer weights");
        report.Image("mlp-weights.png", "For contrast, 32 of the MLP's first-layer weight vectors as 28×28 images: each unit has its own whole-image template, with no notion that neighbouring pixels are related.");
    }

    // "conv1 320 + conv2 18,496 + …": parameters per top-level layer.
    private static string Breakdown(Module model) => string.Join(" + ", model.NamedParameters()
        .GroupBy(p => p.Name[..p.Name.LastIndexOf('.')])
        .Select(g => $"{(char.IsDigit(g.Key[0]) ? "layer " : "")}{g.Key} {LabFormat.N(g.Sum(p => p.Parameter.NumEl))}"));
}
