using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Plots;
using Nabla.Data;
using Nabla.Optim;

namespace Nabla.Cli.Lab.Experiments.Initialization;

/// <summary>initialization: the standard deviation of the activations through 30 layers for tanh and ReLU under Xavier,
/// He, small uniform and unit normal weights, and how deep MLPs so initialized train on MNIST.</summary>
internal sealed class InitializationExperiment : ILabExperiment
{
    private const int ProfileDepth = 30, Classes = 10, Inputs = 28 * 28;
    private const double LearningRate = 0.01, Momentum = 0.9;
    // The training comparison decides only if some ReLU run learned; He must be within AccuracyMargin of the best run,
    // and the claim fails if it is more than AccuracyFailure behind.
    private const double LearnedAccuracy = 0.5, AccuracyMargin = 0.01, AccuracyFailure = 0.05;
    private static readonly string[] Activations = ["relu", "tanh"];

    /// <inheritdoc/>
    public string Name => "initialization";

    /// <inheritdoc/>
    public string Title => "Initialization: Xavier, He, small and unit-normal weights through 30 layers";

    /// <inheritdoc/>
    public string Claim => "He initialization keeps the scale of ReLU activations constant through a deep network, where Xavier shrinks it, small weights make it vanish and unit-normal weights make it explode, and the ReLU network starting from He weights trains best.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        int profileWidth = context.Pick(32, 256, 512), profileBatch = context.Pick(32, 256, 512);
        int trainWidth = context.Pick(16, 128, 128), trainDepth = context.Pick(4, 30, 30);
        int trainCount = context.Pick(120, 12288, 16384), testCount = context.Pick(60, 2000, 10000), epochs = context.Pick(1, 3, 5), batchSize = context.Pick(32, 128, 128);
        var train = ClassifierTrainer.Head(context.Mnist(train: true, normalize: true), trainCount);
        var test = ClassifierTrainer.Head(context.Mnist(train: false, normalize: true), testCount);
        int steps = epochs * ((train.Count + batchSize - 1) / batchSize);

        report.Setup($"**Activation statistics.** A batch of {profileBatch} inputs x ~ N(0, 1) of width {profileWidth} passes through {ProfileDepth} layers " +
            $"h_l = f(W_l·h_(l−1)) of {profileWidth} → {profileWidth} units without biases, f = ReLU or tanh, in float64; std(h_l) is measured at every layer. " +
            "Each weight matrix is drawn by one of four initializations:");
        report.SetupList([.. InitScheme.All.Select(s => $"**{s.Name}**: {s.Distribution}; Var(w) = {LabFormat.G(s.Variance(profileWidth))} at n = {profileWidth}")]);
        report.Setup($"**Training.** An MLP of {trainDepth} linear layers ({Inputs} → {trainWidth}, {trainDepth - 2} × {trainWidth} → {trainWidth}, {trainWidth} → {Classes}), " +
            $"ReLU or tanh after each but the last, weights by the same four initializations and biases 0, trained on the first {LabFormat.N(train.Count)} MNIST " +
            $"training images (normalized) for {epochs} epoch{(epochs == 1 ? "" : "s")} ({LabFormat.N(steps)} steps) with SGD, learning rate {LearningRate}, momentum " +
            $"{Momentum}, batch {batchSize}, cross-entropy; tested on {LabFormat.N(test.Count)} test images. Seed {context.Seed}; every run of one activation starts from the same random stream.");

        // Activation statistics.
        var profiles = new Dictionary<(string, string), ActivationProfile>();
        foreach (string activation in Activations)
            foreach (var scheme in InitScheme.All)
                profiles[(activation, scheme.Name)] = ActivationProfile.Measure(scheme, activation, profileWidth, ProfileDepth, profileBatch, context.Random(1));
        context.Say("measured activation statistics");
        report.Section($"Activation scale through {ProfileDepth} layers");
        var layers = Enumerable.Range(0, ProfileDepth + 1).Select(l => (double)l).ToArray();
        foreach (string activation in Activations)
        {
            string file = $"activation-std-{activation}.png";
            Chart.Save(context.PathOf(file), $"std of the activations per layer, {(activation == "relu" ? "ReLU" : "tanh")}, width {profileWidth}",
                "layer l (0 = input)", "std(h_l)", InitScheme.All.Select(s => new Chart.Series(s.Name, layers, profiles[(activation, s.Name)].Std, Markers: true)), logY: true);
            report.Image(file, activation == "relu"
                ? "ReLU: He keeps the scale flat; Xavier loses a factor √2 per layer; small uniform weights lose, and unit-normal weights gain, the factor √(n·Var(w)/2) at every layer — straight lines on a log scale, as the table predicts."
                : "tanh: Xavier decays slowly, He settles at a constant scale, small weights vanish geometrically, unit-normal weights pin the units at ±1 (saturation), so the std looks healthy while the derivatives are 0.");
        }
        var table = new LabTable("initialization", "ReLU: predicted factor per layer", "ReLU: measured factor per layer", $"ReLU: std(h_{ProfileDepth})",
            $"tanh: std(h_{ProfileDepth})", $"tanh: saturated units at layer {ProfileDepth}");
        foreach (var scheme in InitScheme.All)
        {
            var relu = profiles[("relu", scheme.Name)];
            var tanh = profiles[("tanh", scheme.Name)];
            table.Row(scheme.Name, LabFormat.G(scheme.ReluGain(profileWidth)), LabFormat.G(relu.GainPerLayer), Sci(relu.Std[^1]), Sci(tanh.Std[^1]),
                LabFormat.Percent(tanh.Saturated[^1], 1));
            report.Number($"relu_decades_{Key(scheme)}", Finite(relu.Decades)).Number($"relu_gain_per_layer_{Key(scheme)}", Finite(relu.GainPerLayer))
                .Number($"tanh_std_last_{Key(scheme)}", Finite(tanh.Std[^1])).Number($"tanh_saturated_last_{Key(scheme)}", tanh.Saturated[^1]);
        }
        report.Table(table);
        report.Text($"The input has std {LabFormat.G(profiles[("relu", "He")].Std[0])}. The measured factor is the geometric mean over layers 1 … {ProfileDepth} " +
            "(the first layer also turns N(0, 1) inputs into half-rectified ones).");
        report.Text("Why. A unit of layer l sums n products: z = Σ_j w_j·h_j, so Var(z) = n·Var(w)·E[h²]. ReLU zeroes the negative half, so E[relu(z)²] = Var(z)/2, " +
            "and each layer multiplies the activations' scale by √(n·Var(w)/2). He sets Var(w) = 2/n to make that factor exactly 1; Xavier's 2/(fan_in + fan_out) = 1/n " +
            $"was derived for activations that are linear near 0 (tanh), so under ReLU it loses √2 per layer, (1/√2)^{ProfileDepth} ≈ {LabFormat.Sci(Math.Pow(0.5, ProfileDepth / 2.0))} over the stack. " +
            $"Small uniform weights give √(n·a²/6) ≈ {LabFormat.G(InitScheme.All[2].ReluGain(profileWidth))} per layer and unit-normal weights √(n/2) ≈ {LabFormat.G(InitScheme.All[3].ReluGain(profileWidth))}. " +
            "For tanh the slope at 0 is 1, so the factor is √(n·Var(w)) while activations are small: Xavier's 1 keeps them, slowly eroded by tanh's curvature; " +
            "He's √2 grows them until tanh's saturation balances it; unit-normal weights drive every unit to ±1, where tanh' ≈ 0. " +
            "The backward pass multiplies gradients by the same Wᵀ and f', so an init whose activations shrink or saturate also starves the early layers of gradient.");

        // Training.
        report.Section($"Training a {trainDepth}-layer MLP from each initialization");
        var histories = new Dictionary<(string, string), ClassifierTrainer.History>();
        foreach (string activation in Activations)
            foreach (var scheme in InitScheme.All)
            {
                var model = new DeepMlp(Inputs, trainWidth, Classes, trainDepth, activation, batchNorm: false, residual: false, context.Random(2), scheme.Apply);
                var optimizer = new Sgd(model.Parameters(), lr: LearningRate, momentum: Momentum);
                var history = ClassifierTrainer.Train(model, optimizer, train, test, epochs, batchSize, context.Seed);
                histories[(activation, scheme.Name)] = history;
                context.Say($"{activation}, {scheme.Name}: final loss {LabFormat.G(history.Last.TrainLoss)}, test accuracy {LabFormat.Percent(history.Last.TestAccuracy)}");
            }
        foreach (string activation in Activations)
        {
            string file = $"training-{activation}.png";
            var stepAxis = Enumerable.Range(1, steps).Select(s => (double)s).ToArray();
            Chart.Save(context.PathOf(file), $"Training loss, {trainDepth}-layer {(activation == "relu" ? "ReLU" : "tanh")} MLP on MNIST (SGD)", "step", "cross-entropy (EMA, β = 0.9)",
                InitScheme.All.Select(s => new Chart.Series(s.Name, stepAxis[..histories[(activation, s.Name)].StepLosses.Count],
                    LossSmoothing.Ema(histories[(activation, s.Name)].StepLosses, 0.9))), yLimits: (0, 4));
            report.Image(file, $"Training loss of the {(activation == "relu" ? "ReLU" : "tanh")} network from each initialization. A curve that stays at ln 10 ≈ 2.30 " +
                "has not started learning; a curve that leaves the top of the chart or stops has diverged (non-finite loss).");
        }
        var results = new LabTable("initialization", "ReLU: steps to loss < 1", "ReLU: final train loss", "ReLU: test accuracy",
            "tanh: steps to loss < 1", "tanh: final train loss", "tanh: test accuracy");
        foreach (var scheme in InitScheme.All)
        {
            var relu = histories[("relu", scheme.Name)];
            var tanh = histories[("tanh", scheme.Name)];
            results.Row(scheme.Name, StepsBelow(relu, 1), Loss(relu.Last.TrainLoss), LabFormat.Percent(relu.Last.TestAccuracy),
                StepsBelow(tanh, 1), Loss(tanh.Last.TrainLoss), LabFormat.Percent(tanh.Last.TestAccuracy));
            report.Number($"relu_test_accuracy_{Key(scheme)}", relu.Last.TestAccuracy).Number($"tanh_test_accuracy_{Key(scheme)}", tanh.Last.TestAccuracy);
        }
        report.Table(results);
        report.Text("\"Steps to loss < 1\" is the first step at which the smoothed training loss (EMA, β = 0.9) falls below 1, or \"never\".");

        // Verdict.
        var he = InitScheme.All.Single(s => s.Name == "He");
        double heDecades = profiles[("relu", he.Name)].Decades;
        double closestOther = InitScheme.All.Where(s => s != he).Min(s => profiles[("relu", s.Name)].Decades);
        double heAccuracy = histories[("relu", he.Name)].Last.TestAccuracy;
        var bestOther = InitScheme.All.Where(s => s != he).MaxBy(s => histories[("relu", s.Name)].Last.TestAccuracy)!;
        double bestOtherAccuracy = histories[("relu", bestOther.Name)].Last.TestAccuracy;
        bool learned = Math.Max(heAccuracy, bestOtherAccuracy) >= LearnedAccuracy;
        bool holds = heDecades < closestOther && learned && heAccuracy >= bestOtherAccuracy - AccuracyMargin;
        bool fails = closestOther < heDecades - Math.Log10(2) || (learned && heAccuracy < bestOtherAccuracy - AccuracyFailure);
        report.Text($"Verdict rule: **supported** if, of the four initializations, He leaves the ReLU activations' std at layer {ProfileDepth} the fewest decades " +
            $"(|log₁₀ std(h_{ProfileDepth})/std(h_0)|) from the input's, and the He-initialized ReLU MLP ends within {LabFormat.Percent(AccuracyMargin, 0)} (test accuracy) of the best " +
            $"ReLU run, provided some ReLU run learned (≥ {LabFormat.Percent(LearnedAccuracy, 0)}). **Not supported** if another initialization keeps the scale closer by more than " +
            $"a factor of 2, or He trails the best ReLU run by more than {LabFormat.Percent(AccuracyFailure, 0)}. Otherwise inconclusive.");
        report.Number("he_relu_decades", Finite(heDecades)).Number("closest_other_relu_decades", Finite(closestOther));
        report.Conclude(VerdictText.From(holds, fails),
            $"ReLU std after {ProfileDepth} layers is {LabFormat.G(heDecades)} decades from the input's under He, {LabFormat.G(closestOther)} at best under the others; " +
            $"the He ReLU MLP reached {LabFormat.Percent(heAccuracy)} test accuracy, the best other ({bestOther.Name}) {LabFormat.Percent(bestOtherAccuracy)}.");

        report.Change("`--smoke`/`--quick` use narrower layers and fewer images and epochs; the full run measures width 512 and trains 30-layer MLPs on 16,384 images for 5 epochs.");
        report.Change("The four initializations are listed in `InitScheme.All` (src/Nabla.Cli/Lab/Experiments/Initialization): add e.g. `Init.Orthogonal` or Xavier with tanh's gain 5/3 there.");
        report.Change("Depth, learning rate and momentum are constants at the top of `InitializationExperiment`; try Adam instead of SGD to see how a per-parameter step size changes the picture.");
        report.Change("`--seed S` draws other weights, inputs and batch orders.");
    }

    private static string StepsBelow(ClassifierTrainer.History history, double loss)
    {
        int step = Array.FindIndex(LossSmoothing.Ema(history.StepLosses, 0.9), v => v < loss);
        return step < 0 ? "never" : LabFormat.N(step + 1);
    }

    private static string Key(InitScheme scheme) => scheme.Name.Replace(' ', '_');

    private static double Finite(double value) => double.IsFinite(value) ? value : 1e300;

    private static string Sci(double value) => double.IsFinite(value) ? LabFormat.Sci(value) : "non-finite";

    private static string Loss(double value) => double.IsFinite(value) ? LabFormat.G(value) : "diverged";
}
