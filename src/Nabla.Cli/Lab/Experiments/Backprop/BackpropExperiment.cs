using Nabla.Cli.Lab.Plots;

namespace Nabla.Cli.Lab.Experiments.Backprop;

/// <summary>backprop: the gradients of a 2-3-1 tanh/sigmoid network three ways (the chain rule by hand, Nabla's
/// autograd, central finite differences) agree, on one network printed step by step and on many random ones.</summary>
internal sealed class BackpropExperiment : ILabExperiment
{
    // The agreement the verdict asks for, in scaled error |a − b| / max(1, |a|, |b|).
    private const double ExactTolerance = 1e-10, NumericTolerance = 1e-6;
    // Beyond these the methods disagree: a wrong derivative, not rounding.
    private const double ExactFailure = 1e-6, NumericFailure = 1e-4;
    private const double Epsilon = 1e-6;

    /// <inheritdoc/>
    public string Name => "backprop";

    /// <inheritdoc/>
    public string Title => "Backpropagation is the chain rule: hand derivation, autograd and finite differences agree";

    /// <inheritdoc/>
    public string Claim => "Backpropagation computes exact gradients: the chain rule applied by hand and reverse-mode autograd agree to rounding error, and both match central finite differences to about 1e-6.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        int trials = context.Pick(20, 500, 5000);
        var net = TinyMlp.Draw(context.Random(1));
        var hand = HandBackprop.Derive(net);
        var (autogradLoss, autograd) = NablaBackprop.Autograd(net);
        var numeric = NablaBackprop.CentralDifferences(net, Epsilon);

        report.Setup("A 2-3-1 network on one example: z1 = W1·x + b1, h = tanh(z1), z2 = W2·h + b2, ŷ = σ(z2), loss L = (ŷ − y)² " +
            $"(Nabla's `MseLoss`). {TinyMlp.ParameterCount} parameters, all float64. Each parameter, x ~ N(0, 1) and y ~ U(0, 1) are drawn from the seed.");
        report.SetupList(
            "**by hand**: the chain rule in plain C# doubles, one local derivative at a time (`HandBackprop`), no tensors",
            "**autograd**: the same network as Nabla tensors (`Functional.Linear`, `Tanh`, `Sigmoid`, `MseLoss`), `loss.Backward()`",
            $"**finite differences**: central differences (L(θ + εe_i) − L(θ − εe_i)) / 2ε of Nabla's loss with ε = {LabFormat.Sci(Epsilon)}, two forward passes per parameter",
            $"the comparison is repeated on {LabFormat.N(trials)} further random networks and examples, and the choice of ε is swept from 1e-1 to 1e-13",
            "error measure: the scaled error |a − b| / max(1, |a|, |b|), absolute for gradients below 1 and relative above");

        report.Section("The derivation, step by step");
        report.Text("Backpropagation evaluates the chain rule from the loss downwards. Each node multiplies the derivative arriving from above " +
            "(∂L/∂output) by its own local derivative (∂output/∂input) and passes the product on: ∂L/∂z2 = ∂L/∂ŷ · ∂ŷ/∂z2, then ∂L/∂h_j = ∂L/∂z2 · W2[0,j], " +
            "and so on. A parameter's gradient is the derivative at the node it feeds times the input it multiplies (∂L/∂W1[j,k] = δ1[j]·x_k). " +
            "The local derivatives are simple because each operation is: σ'(z) = σ(z)(1 − σ(z)) and tanh'(z) = 1 − tanh²(z) reuse the forward outputs, " +
            "which is why autograd keeps them. Every number below comes from this run:");
        report.Code(HandBackprop.Trace(net, hand));
        GraphDiagram.Save(context.PathOf("graph.png"), net, hand);
        report.Image("graph.png", "The same computation as a graph: forward values in black, ∂L/∂node in red, the local derivative on each edge in blue. " +
            "Each red number is the sum over the node's outgoing edges of (blue number × red number at the edge's head).");

        report.Section("Three gradients, parameter by parameter");
        var table = new LabTable("parameter", "by hand", "autograd", "finite differences", "|hand − autograd|", "|hand − finite diff.|");
        for (int i = 0; i < TinyMlp.ParameterCount; i++)
            table.Row(TinyMlp.Name(i), R(hand.Gradient[i]), R(autograd[i]), R(numeric[i]),
                LabFormat.Sci(Math.Abs(hand.Gradient[i] - autograd[i])), LabFormat.Sci(Math.Abs(hand.Gradient[i] - numeric[i])));
        double mainAutogradAbs = MaxAbs(hand.Gradient, autograd), mainNumericAbs = MaxAbs(hand.Gradient, numeric);
        table.Row("**max absolute**", "", "", "", LabFormat.Sci(mainAutogradAbs), LabFormat.Sci(mainNumericAbs));
        table.Row("**max relative**", "", "", "", LabFormat.Sci(GradientError.MaxRelative(hand.Gradient, autograd)),
            LabFormat.Sci(GradientError.MaxRelative(hand.Gradient, numeric)));
        report.Table(table);
        report.Text($"The loss by hand is {R(hand.Loss)} and Nabla's forward pass gives {R(autogradLoss)} " +
            $"(difference {LabFormat.Sci(Math.Abs(hand.Loss - autogradLoss))}).");
        var categories = Enumerable.Range(0, TinyMlp.ParameterCount).Select(TinyMlp.Name).ToArray();
        GroupedBars.Save(context.PathOf("gradients.png"), "Each gradient's size and how far the three methods are from each other", "", "absolute value",
            categories,
            [new GroupedBars.Series("|∂L/∂θ| by hand", [.. hand.Gradient.Select(Math.Abs)]),
                new GroupedBars.Series($"|hand − central differences|, ε = {LabFormat.Sci(Epsilon)}", [.. hand.Gradient.Zip(numeric, (a, b) => Math.Abs(a - b))]),
                new GroupedBars.Series("|hand − autograd| (exact zeros not drawn)", [.. hand.Gradient.Zip(autograd, (a, b) => Math.Abs(a - b))])],
            logY: true);
        report.Image("gradients.png", "Per parameter, on a log scale: the gradient (blue), the finite-difference error (orange, about 1e-10) and the " +
            "hand-vs-autograd difference (green, rounding in the last digits, or exactly zero and then absent).");

        report.Section($"{LabFormat.N(trials)} random networks");
        var sweep = Trials(context, trials);
        report.Table(new LabTable("pair", "max scaled error", "median scaled error", "tolerance")
            .Row("by hand vs autograd", LabFormat.Sci(sweep.HandAutograd.Max()), LabFormat.Sci(Median(sweep.HandAutograd)), LabFormat.Sci(ExactTolerance))
            .Row("by hand vs finite differences", LabFormat.Sci(sweep.HandNumeric.Max()), LabFormat.Sci(Median(sweep.HandNumeric)), LabFormat.Sci(NumericTolerance))
            .Row("autograd vs finite differences", LabFormat.Sci(sweep.AutogradNumeric.Max()), LabFormat.Sci(Median(sweep.AutogradNumeric)), LabFormat.Sci(NumericTolerance)));
        report.Text("Each row is the largest (and the median) over the networks of the largest error over a network's 13 parameters. Hand and autograd " +
            "perform the same multiplications in nearly the same order, so they differ only by a few units in the last place (≈ 1e-16); " +
            "finite differences approximate the derivative, so they differ by the approximation's error.");

        report.Section("Why finite differences are only approximately right");
        var epsilons = Enumerable.Range(0, 25).Select(i => Math.Pow(10, -1 - 0.5 * i)).ToArray();
        var central = epsilons.Select(e => GradientError.Max(NablaBackprop.CentralDifferences(net, e), hand.Gradient)).ToArray();
        var forward = epsilons.Select(e => GradientError.Max(NablaBackprop.ForwardDifferences(net, e), hand.Gradient)).ToArray();
        int bestCentral = ArgMin(central), bestForward = ArgMin(forward);
        Chart.Save(context.PathOf("epsilon.png"), "Finite-difference error against the step ε", "ε", "max scaled error vs the exact gradient",
            [new Chart.Series("central (L(θ+ε) − L(θ−ε)) / 2ε", epsilons, central, Markers: true),
                new Chart.Series("forward (L(θ+ε) − L(θ)) / ε", epsilons, forward, Markers: true)], logX: true, logY: true);
        report.Image("epsilon.png", "Error of the finite-difference gradient as the step shrinks: truncation error falls with ε until rounding error, which grows as 1/ε, takes over.");
        report.Text("Taylor's theorem gives the forward difference an error of (ε/2)·L'' and the central difference (ε²/6)·L''', because the even terms cancel. " +
            "Subtracting two nearly equal losses also loses about u·|L|/ε to rounding (u ≈ 1.1e-16 in float64). The total is smallest near ε ≈ √u ≈ 1e-8 for " +
            "forward and ε ≈ u^(1/3) ≈ 5e-6 for central differences, " +
            $"which this run reproduces: the best forward step is {LabFormat.Sci(epsilons[bestForward])} (error {LabFormat.Sci(forward[bestForward])}), " +
            $"the best central step {LabFormat.Sci(epsilons[bestCentral])} (error {LabFormat.Sci(central[bestCentral])}). " +
            "Autograd has neither error: it applies the exact derivative of each operation, so it is as accurate as the forward pass itself, " +
            "and it costs one backward pass instead of two forward passes per parameter.");

        double handAutograd = sweep.HandAutograd.Max(), handNumeric = sweep.HandNumeric.Max(), autogradNumeric = sweep.AutogradNumeric.Max();
        report.Number("trials", trials)
            .Number("max_error_hand_vs_autograd", handAutograd)
            .Number("max_error_hand_vs_finite_differences", handNumeric)
            .Number("max_error_autograd_vs_finite_differences", autogradNumeric)
            .Number("loss", hand.Loss)
            .Number("best_central_epsilon", epsilons[bestCentral])
            .Number("best_central_error", central[bestCentral])
            .Number("best_forward_epsilon", epsilons[bestForward])
            .Number("best_forward_error", forward[bestForward]);

        report.Text($"Verdict rule: **supported** if, over all {LabFormat.N(trials + 1)} networks, hand and autograd agree to a scaled error of at most " +
            $"{LabFormat.Sci(ExactTolerance)} and both agree with central differences (ε = {LabFormat.Sci(Epsilon)}) to at most {LabFormat.Sci(NumericTolerance)}; " +
            $"**not supported** if hand and autograd differ by more than {LabFormat.Sci(ExactFailure)} or either differs from finite differences by more than " +
            $"{LabFormat.Sci(NumericFailure)}; inconclusive in between.");
        handAutograd = Math.Max(handAutograd, GradientError.Max(hand.Gradient, autograd));
        handNumeric = Math.Max(handNumeric, GradientError.Max(hand.Gradient, numeric));
        autogradNumeric = Math.Max(autogradNumeric, GradientError.Max(autograd, numeric));
        bool holds = handAutograd <= ExactTolerance && handNumeric <= NumericTolerance && autogradNumeric <= NumericTolerance;
        bool fails = handAutograd > ExactFailure || handNumeric > NumericFailure || autogradNumeric > NumericFailure;
        report.Conclude(VerdictText.From(holds, fails),
            $"over {LabFormat.N(trials + 1)} random 2-3-1 networks the largest scaled error was {LabFormat.Sci(handAutograd)} between hand and autograd " +
            $"and {LabFormat.Sci(Math.Max(handNumeric, autogradNumeric))} between either and central differences (tolerances {LabFormat.Sci(ExactTolerance)} and {LabFormat.Sci(NumericTolerance)}).");

        report.Change("`--seed S` draws another network and example; `--smoke`/`--quick` compare 20/500 random networks instead of 5,000.");
        report.Change("Edit `TinyMlp` (src/Nabla.Cli/Lab/Experiments/Backprop) for other sizes or initial values, and `HandBackprop` to derive another activation or loss by hand.");
        report.Change("The step ε and the tolerances are constants at the top of `BackpropExperiment`.");
    }

    private sealed record TrialErrors(List<double> HandAutograd, List<double> HandNumeric, List<double> AutogradNumeric);

    private static TrialErrors Trials(LabContext context, int count)
    {
        var generator = context.Random(2);
        var errors = new TrialErrors([], [], []);
        for (int t = 0; t < count; t++)
        {
            var net = TinyMlp.Draw(generator);
            var hand = HandBackprop.Derive(net).Gradient;
            var autograd = NablaBackprop.Autograd(net).Gradient;
            var numeric = NablaBackprop.CentralDifferences(net, Epsilon);
            errors.HandAutograd.Add(GradientError.Max(hand, autograd));
            errors.HandNumeric.Add(GradientError.Max(hand, numeric));
            errors.AutogradNumeric.Add(GradientError.Max(autograd, numeric));
        }
        context.Say($"compared {count} random networks");
        return errors;
    }

    private static double MaxAbs(double[] a, double[] b) => a.Zip(b, (p, q) => Math.Abs(p - q)).Max();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int ArgMin(double[] values) => Array.IndexOf(values, values.Min());

    // Full precision, so the three columns can be compared digit by digit.
    private static string R(double value) => value.ToString("G15", System.Globalization.CultureInfo.InvariantCulture);
}
