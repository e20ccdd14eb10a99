using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Plots;
using Nabla.Data;
using Nabla.NN;

namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>SGD, SGD with momentum, RMSprop and Adam on the same MNIST network, data order and initial weights, each at
/// the best of a grid of learning rates; then the same four on an ill-conditioned 2-D quadratic, their paths drawn over
/// its contours, and on the same valley turned by 45°. The verdict on "Adam converges faster than plain SGD" is
/// computed from the MNIST runs' steps to a loss threshold and final losses.</summary>
internal sealed class OptimizersExperiment : ILabExperiment
{
    /// <summary>The first MNIST threshold: steps until the training loss (measured on a fixed sample of the training
    /// set) first reaches this, the easy first descent.</summary>
    public const double EarlyThreshold = 0.3;

    /// <summary>The deciding MNIST threshold is this many times the lowest loss any of the four kept runs reached: a
    /// level that takes converging, not only the first descent.</summary>
    public const double TargetFactor = 2;

    /// <summary>MNIST runs shorter than this are too short for a verdict on convergence.</summary>
    public const int MinimumSteps = 200;

    /// <summary>The 2-D threshold: steps until f stays at or below this.</summary>
    public const double SurfaceThreshold = 1e-3;

    private const int Hidden = 256, Classes = 10, PathPoints = 120;
    private const double Kappa = 50;

    // The valley along the x axis, and the same valley turned by 45°; both walks start at valley coordinates (−4, 1).
    private static readonly IllConditionedQuadratic Aligned = new(Kappa);
    private static readonly IllConditionedQuadratic Turned = new(Kappa, Math.PI / 4);
    private static readonly (double U, double V) Start = (-4, 1);

    /// <inheritdoc/>
    public string Name => "optimizers";

    /// <inheritdoc/>
    public string Title => "Optimizers: SGD, momentum, RMSprop and Adam on the same problem";

    /// <inheritdoc/>
    public string Claim => "Adaptive methods (Adam) converge faster than plain SGD.";

    /// <inheritdoc/>
    public void Run(LabContext context, LabReport report)
    {
        int trainCount = context.Pick(120, 20_000, 60_000), testCount = context.Pick(60, 10_000, 10_000);
        int epochs = context.Pick(1, 2, 2), batchSize = context.Pick(32, 64, 64), surfaceSteps = context.Pick(60, 300, 300);
        int probeEvery = context.Pick(1, 10, 20);
        // Whole batches only: a last, smaller batch is a noisier step that a large learning rate turns into a spike
        // of the loss at the end of every epoch.
        var all = context.Mnist(train: true, normalize: true);
        var train = ClassifierTrainer.Head(all, Math.Max(batchSize, Math.Min(trainCount, all.Count) / batchSize * batchSize));
        var test = ClassifierTrainer.Head(context.Mnist(train: false, normalize: true), testCount);
        int steps = epochs * ((train.Count + batchSize - 1) / batchSize);
        var recipes = OptimizerRecipe.All;

        report.Setup($"**MNIST.** An MLP 784→{Hidden}→10 (ReLU, {LabFormat.N(Build(context).ParameterCount())} parameters) is trained with each optimizer on the first {LabFormat.N(train.Count)} training images "
            + $"(normalized), batch {batchSize}, {epochs} epoch(s) = {LabFormat.N(steps)} steps, cross-entropy, seed {context.Seed}. Every run starts from the same weights "
            + "(one initialization, copied in by its state dict) and sees the batches in the same order. Each optimizer is run at every learning rate of its grid. "
            + $"Every {probeEvery} step(s) the loss is measured on a fixed sample of {LabFormat.N(Math.Min(ProbeSize, train.Count))} training images, a curve free of the noise of single batches; "
            + "the final training loss is that curve's mean over the last 10% of the steps, and for each optimizer the learning rate with the lowest final loss is kept; "
            + $"test accuracy is measured on {LabFormat.N(test.Count)} test images.");
        report.SetupList([.. recipes.Select(r => $"{r.Name}: learning rates {string.Join(", ", r.MnistRates.Select(LabFormat.G))}")]);
        double[] rates = recipes[0].SurfaceRates;
        report.Setup($"**2-D.** The same four optimizers minimize f = ½(u² + {LabFormat.G(Kappa)}·v²), a valley {LabFormat.G(Kappa)} times steeper across than along, "
            + $"lying along the x axis (u = x, v = y) and, separately, turned by 45°; each walk starts at (u, v) = ({LabFormat.G(Start.U)}, {LabFormat.G(Start.V)}) and takes {surfaceSteps} steps. "
            + $"The point is a float64 `Parameter` whose gradient autograd computes. Each optimizer uses the learning rate, of {rates.Length} from {LabFormat.G(rates[0])} to {LabFormat.G(rates[^1])} "
            + $"(1, 1.5, 2, 3, 4, 5, 7 per decade), after which f stays ≤ {LabFormat.G(SurfaceThreshold)} soonest, chosen separately for each valley. "
            + "Momentum is 0.9, RMSprop's α 0.99, Adam's β (0.9, 0.999); ε = 10⁻⁸ (PyTorch's defaults).");

        var mnist = TrainAll(context, recipes, train, test, epochs, batchSize, probeEvery);
        var kept = recipes.Select(r => mnist.Where(m => m.Recipe == r).MinBy(m => m.Final)!).ToList();
        double target = TargetFactor * kept.Min(run => run.CurveLosses.Min());
        var early = kept.Select(run => run.Settle(EarlyThreshold)).ToList();
        var reach = kept.Select(run => run.Settle(target)).ToList();

        report.Section("MNIST: loss per step");
        var table = new LabTable("optimizer", "learning rate", $"steps until loss stays ≤ {LabFormat.G(EarlyThreshold)}", $"… stays ≤ {LabFormat.F(target, 3)}", "final training loss", "test accuracy");
        for (int k = 0; k < kept.Count; k++)
            table.Row(kept[k].Recipe.Name, LabFormat.G(kept[k].Rate), Steps(early[k], bare: true), Steps(reach[k], bare: true), Loss(kept[k].Final),
                LabFormat.Percent(kept[k].History.Last.TestAccuracy));
        report.Table(table);
        report.Text($"The second threshold, {LabFormat.F(target, 3)}, is {LabFormat.G(TargetFactor)}× the lowest training loss any of the four reached: staying there takes converging, "
            + $"not only the easy first descent that the {LabFormat.G(EarlyThreshold)} column measures. A step count is where the loss, measured every {probeEvery} step(s) on the fixed sample, "
            + "goes below the threshold for good: a noisy dip that bounces back out does not count. Final training loss is the mean of the curve over the last 10% of the steps.");
        Chart.Save(context.PathOf("mnist-loss.png"), "MNIST MLP: training loss, each optimizer at its best learning rate", "step", "cross-entropy (training sample)",
            kept.Select(run => new Chart.Series($"{run.Recipe.Name}, lr {LabFormat.G(run.Rate)}", run.CurveSteps, run.CurveLosses)), logY: true);
        report.Image("mnist-loss.png", $"Training loss of the four runs kept, measured every {probeEvery} step(s) on the same fixed sample of training images; same initial weights and batches for all.");

        var sweep = new LabTable("optimizer", "learning rate", "final training loss", $"steps until loss stays ≤ {LabFormat.F(target, 3)}", "test accuracy");
        foreach (var run in mnist)
            sweep.Row(run.Recipe.Name, LabFormat.G(run.Rate), Loss(run.Final),
                run.Settle(target) is int r ? LabFormat.N(r) : "—",
                LabFormat.Percent(run.History.Last.TestAccuracy));
        report.Text("Every run of the learning-rate grids (the kept ones have the lowest final loss of their optimizer; a learning rate too large diverges):").Table(sweep);
        Chart.Save(context.PathOf("mnist-rates.png"), "MNIST MLP: final training loss against learning rate", "learning rate", "final training loss",
            recipes.Select(r => new Chart.Series(r.Name, [.. mnist.Where(m => m.Recipe == r).Select(m => m.Rate)], [.. mnist.Where(m => m.Recipe == r).Select(m => m.Final)], Markers: true)),
            logX: true, logY: true);
        report.Image("mnist-rates.png", $"Final training loss of every run against its learning rate (diverged runs left out): each method has its own good range; plain SGD's best rate is {LabFormat.G(kept[0].Rate / kept[3].Rate)}× Adam's.");

        // The folklore's comparison: each method at the learning rate tutorials use, SGD 0.01 and Adam 0.001.
        var sgdDefault = mnist.FirstOrDefault(m => m.Recipe == recipes[0] && m.Rate == 0.01);
        var adamDefault = mnist.FirstOrDefault(m => m.Recipe == recipes[3] && m.Rate == 1e-3);
        if (sgdDefault is not null && adamDefault is not null)
        {
            int? sgdAt = sgdDefault.Settle(EarlyThreshold), adamAt = adamDefault.Settle(EarlyThreshold);
            report.Text($"At the learning rates tutorials use, SGD 0.01 and Adam 0.001, SGD's loss stays ≤ {LabFormat.G(EarlyThreshold)} after {Steps(sgdAt)} "
                + $"and ends at {Loss(sgdDefault.Final)}, Adam's after {Steps(adamAt)}, ending at {Loss(adamDefault.Final)}: a comparison at default settings measures the defaults as much as the methods.");
        }

        var alignedWalks = Walk(context, recipes, Aligned, surfaceSteps);
        var turnedWalks = Walk(context, recipes, Turned, surfaceSteps);
        report.Section("2-D: paths on an ill-conditioned valley");
        var (bestRate, bestFactor) = Aligned.BestGradientDescent;
        report.Text($"The Hessian of f has eigenvalues 1 and {LabFormat.G(Kappa)}: condition number κ = {LabFormat.G(Kappa)}. Plain gradient descent is stable only for η < 2/κ = {LabFormat.G(2 / Kappa)}, "
            + $"and at its best rate, η = 2/(1 + κ) = {LabFormat.G(bestRate)}, each valley coordinate's error shrinks only by the factor (κ − 1)/(κ + 1) = {LabFormat.F(bestFactor, 3)} per step.");
        var surfaceTable = new LabTable("optimizer", "lr (along x)", $"steps until f stays ≤ {LabFormat.G(SurfaceThreshold)}", $"f after {surfaceSteps} steps",
            "lr (turned 45°)", "steps (turned 45°)", "f after (turned 45°)");
        for (int k = 0; k < recipes.Count; k++)
        {
            var (_, rate, walk) = alignedWalks[k];
            var (_, turnedRate, turnedWalk) = turnedWalks[k];
            surfaceTable.Row(recipes[k].Name, LabFormat.G(rate), Steps(walk.StepsToStay(SurfaceThreshold), bare: true), Final(walk),
                LabFormat.G(turnedRate), Steps(turnedWalk.StepsToStay(SurfaceThreshold), bare: true), Final(turnedWalk));
        }
        report.Table(surfaceTable);
        string Pair(int k) => $"{Steps(alignedWalks[k].Walk.StepsToStay(SurfaceThreshold))} along x, {Steps(turnedWalks[k].Walk.StepsToStay(SurfaceThreshold))} at 45°";
        report.Text($"Turning the valley should change nothing for SGD ({Pair(0)}) and momentum ({Pair(1)}): their updates are sums of gradients, so rotating the problem rotates the path with it. "
            + $"RMSprop ({Pair(2)}) divides each coordinate by its own gradient scale, which undoes the valley's ill-conditioning only when the valley lies along a coordinate axis. "
            + $"Adam ({Pair(3)}) scales coordinates the same way but also carries momentum.");
        DrawPaths(context.PathOf("paths.png"), "along x", Aligned, alignedWalks, surfaceSteps);
        report.Image("paths.png", $"Paths from ({LabFormat.G(Start.U)}, {LabFormat.G(Start.V)}) (ringed) towards the minimum (cross) over log₁₀ f, valley along x. Plain SGD must keep η below 2/κ for the steep y direction, so it crawls along x "
            + "(and zig-zags across the valley when η > 1/κ); momentum builds up speed along the valley and overshoots; RMSprop and Adam rescale each coordinate, so their first steps head for the minimum diagonally.");
        DrawPaths(context.PathOf("paths-turned.png"), "turned 45°", Turned, turnedWalks, surfaceSteps);
        report.Image("paths-turned.png", "The same valley turned by 45°, each optimizer again at its best learning rate for it: both coordinates now mix steep and flat curvature, "
            + "so rescaling coordinates no longer helps by itself: compare RMSprop's path with its path along x.");
        Chart.Save(context.PathOf("surface-loss.png"), "2-D valley: f per step (solid: along x; the table has the 45° valley)", "step", "f",
            alignedWalks.Select(w => new Chart.Series($"{w.Recipe.Name}, lr {LabFormat.G(w.Rate)}", [.. Enumerable.Range(0, w.Walk.F.Length).Select(s => (double)s)], w.Walk.F)), logY: true);
        report.Image("surface-loss.png", "f per step on the valley along the x axis (log scale).");

        var sgd = kept[0];
        var adam = kept[3];
        // A run of a few steps says nothing about convergence, whatever its ratios.
        var verdict = steps < MinimumSteps ? Verdict.Inconclusive : SpeedRule.Decide(reach[3], reach[0], adam.Final, sgd.Final);
        int? adamAligned = alignedWalks[3].Walk.StepsToStay(SurfaceThreshold), sgdAligned = alignedWalks[0].Walk.StepsToStay(SurfaceThreshold);
        int? adamTurned = turnedWalks[3].Walk.StepsToStay(SurfaceThreshold), sgdTurned = turnedWalks[0].Walk.StepsToStay(SurfaceThreshold);
        var alignedVerdict = SpeedRule.Decide(adamAligned, sgdAligned, alignedWalks[3].Walk.F[^1], alignedWalks[0].Walk.F[^1]);
        var turnedVerdict = SpeedRule.Decide(adamTurned, sgdTurned, turnedWalks[3].Walk.F[^1], turnedWalks[0].Walk.F[^1]);
        for (int k = 0; k < kept.Count; k++)
        {
            string key = kept[k].Recipe.Key;
            report.Number($"{key}_lr", kept[k].Rate).Number($"{key}_test_accuracy", kept[k].History.Last.TestAccuracy);
            if (double.IsFinite(kept[k].Final)) report.Number($"{key}_final_loss", kept[k].Final);
            if (early[k] is int e) report.Number($"{key}_steps_to_early_threshold", e);
            if (reach[k] is int r) report.Number($"{key}_steps_to_target", r);
            if (alignedWalks[k].Walk.StepsToStay(SurfaceThreshold) is int s) report.Number($"{key}_valley_steps", s);
            if (turnedWalks[k].Walk.StepsToStay(SurfaceThreshold) is int t) report.Number($"{key}_turned_valley_steps", t);
        }
        report.Number("target_loss", target);
        if (double.IsFinite(adam.Final) && double.IsFinite(sgd.Final) && sgd.Final > 0) report.Number("adam_to_sgd_final_loss_ratio", adam.Final / sgd.Final);
        if (double.IsFinite(SpeedRule.StepRatio(reach[3], reach[0]))) report.Number("adam_to_sgd_steps_ratio", SpeedRule.StepRatio(reach[3], reach[0]));

        report.Section("Why");
        report.Text("Gradient descent moves θ ← θ − η·∇f. Along a direction of curvature λ the error is multiplied by (1 − ηλ) each step, so η must stay below 2/λ_max for the steepest direction "
            + "not to blow up, and then the flattest direction shrinks only by a fraction ηλ_min < 2/κ per step: the more ill-conditioned the problem (κ = λ_max/λ_min), the slower plain SGD. "
            + "Momentum, v ← μv + g, adds up gradients that agree (along the valley) and cancels those that alternate (across it), which at best turns the κ in the rate into √κ. "
            + "RMSprop divides each coordinate's step by √(running mean of g²), and Adam does the same with a running mean of g (momentum) on top, with bias correction: "
            + "each parameter moves by roughly η whatever its gradient's scale. That is a diagonal preconditioner: it undoes ill-conditioning that is aligned with the coordinate axes, "
            + "as in the valley along x, but not a valley at 45°, where both coordinates see the same mix of steep and flat curvature; Adam's momentum still helps there. "
            + "A network's loss surface mixes both kinds, and its layers see gradients of very different scales, which per-parameter step sizes even out; "
            + $"plain SGD instead needs its one learning rate tuned to the problem (its best here, {LabFormat.G(kept[0].Rate)}, is {LabFormat.G(kept[0].Rate / kept[3].Rate)}× Adam's).");
        report.Text($"Verdict rule (decided by the MNIST runs, each optimizer at its best learning rate, after the same {LabFormat.N(steps)} steps). Two ratios, Adam over plain SGD: "
            + $"the steps after which the loss stays below the target {LabFormat.F(target, 3)} ({LabFormat.G(TargetFactor)}× the lowest loss reached), and the final loss. "
            + $"**Supported** if Adam gains on one (ratio ≤ {LabFormat.G(SpeedRule.GainRatio)}) and loses on neither (ratio ≤ 1); **not supported** if it gains on neither "
            + $"(both ratios ≥ {LabFormat.G(SpeedRule.NoGainRatio)}); inconclusive otherwise, and whenever the runs are shorter than {MinimumSteps} steps. "
            + $"The same rule on the 2-D valleys (final f, steps until f stays ≤ {LabFormat.G(SurfaceThreshold)}) gives **{VerdictText.Of(alignedVerdict)}** along x and **{VerdictText.Of(turnedVerdict)}** at 45°.");
        report.Conclude(verdict,
            $"On MNIST, Adam (lr {LabFormat.G(adam.Rate)}) ended at training loss {Loss(adam.Final)} vs plain SGD's (lr {LabFormat.G(sgd.Rate)}) {Loss(sgd.Final)} (ratio {LabFormat.F(adam.Final / sgd.Final, 2)}) "
            + $"and stayed below {LabFormat.F(target, 3)} after {Steps(reach[3])} vs {Steps(reach[0])}; on the 2-D valley {Steps(adamAligned)} vs {Steps(sgdAligned)} along x, {Steps(adamTurned)} vs {Steps(sgdTurned)} at 45°.");

        report.Change("--seed S draws another initialization and batch order; --threads N sets the CPU threads.");
        report.Change("The optimizers and their learning-rate grids: `OptimizerRecipe.All`; the thresholds: `EarlyThreshold`, `TargetFactor` and `SurfaceThreshold` in `OptimizersExperiment`.");
        report.Change($"The 2-D valleys: `Kappa` ({LabFormat.G(Kappa)}), `Aligned`, `Turned` and `Start` in `OptimizersExperiment`; the MNIST network: `Build` (784→{Hidden}→10).");
    }

    /// <summary>The size of the fixed training sample the loss curves are measured on.</summary>
    private const int ProbeSize = 1_000;

    // One MNIST run: the loss curve on the probe sample (steps taken, loss), and the loss on the whole training set at the end.
    private sealed record MnistRun(OptimizerRecipe Recipe, double Rate, ClassifierTrainer.History History, double[] CurveSteps, double[] CurveLosses, double Final)
    {
        /// <summary>The steps after which the curve stays at or below <paramref name="threshold"/> to the end of the
        /// run, or null if it ends above: a noisy dip through the threshold that bounces back out does not count.</summary>
        public int? Settle(double threshold)
        {
            if (CurveLosses[^1] > threshold) return null;
            int i = CurveLosses.Length - 1;
            while (i > 0 && CurveLosses[i - 1] <= threshold) i--;
            return (int)CurveSteps[i];
        }
    }

    private static List<MnistRun> TrainAll(LabContext context, IReadOnlyList<OptimizerRecipe> recipes, TensorDataset train, TensorDataset test, int epochs, int batchSize,
        int probeEvery)
    {
        // One initialization, copied into every run's network, so only the optimizer differs.
        var initial = Build(context).StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        var probe = ClassifierTrainer.Head(train, ProbeSize);
        var runs = new List<MnistRun>();
        foreach (var recipe in recipes)
            foreach (double rate in recipe.MnistRates)
            {
                var model = Build(context);
                model.LoadStateDict(initial);
                List<double> taken = [], losses = [];
                // Called after backward and before the update of step `step`, i.e. after `step` updates; evaluation
                // records no graph and leaves the gradients alone.
                void Measure(int step)
                {
                    if (step % probeEvery != 0) return;
                    taken.Add(step);
                    losses.Add(Finite(ClassifierTrainer.Evaluate(model, probe).Loss));
                }
                var history = ClassifierTrainer.Train(model, recipe.Create(model.Parameters(), rate), train, test, epochs, batchSize, context.Seed, Measure);
                int steps = history.StepLosses.Count;
                taken.Add(steps);
                losses.Add(Finite(ClassifierTrainer.Evaluate(model, probe).Loss));
                double final = Enumerable.Range(0, taken.Count).Where(i => taken[i] >= 0.9 * steps).Average(i => losses[i]);
                var run = new MnistRun(recipe, rate, history, [.. taken], [.. losses], Finite(final));
                context.Say($"{recipe.Name}, lr {LabFormat.G(rate)}: final loss {Loss(run.Final)}, test accuracy {LabFormat.Percent(history.Last.TestAccuracy)}");
                runs.Add(run);
            }
        return runs;
    }

    // A run that blew up scores +∞, so it is never kept and charts leave it out.
    private static double Finite(double loss) => double.IsFinite(loss) ? loss : double.PositiveInfinity;

    private static Sequential Build(LabContext context)
    {
        var generator = context.Random(1);
        return new Sequential(new Flatten(), new Linear(28 * 28, Hidden, generator: generator), new ReLU(), new Linear(Hidden, Classes, generator: generator));
    }

    // Each optimizer at the rate of its grid after which f stays below the threshold soonest (else the lowest final f
    // among the walks that did not diverge).
    private static List<(OptimizerRecipe Recipe, double Rate, SurfacePath Walk)> Walk(LabContext context, IReadOnlyList<OptimizerRecipe> recipes,
        IllConditionedQuadratic valley, int steps)
    {
        var start = valley.FromValley(Start.U, Start.V);
        var kept = new List<(OptimizerRecipe, double, SurfacePath)>();
        foreach (var recipe in recipes)
        {
            var tried = recipe.SurfaceRates.Select(rate => (Rate: rate, Walk: SurfaceDescent.Run(valley.Value, start, p => recipe.Create(p, rate), steps))).ToList();
            var best = tried.OrderBy(t => t.Walk.StepsToStay(SurfaceThreshold) ?? int.MaxValue).ThenBy(t => t.Walk.Diverged ? double.PositiveInfinity : t.Walk.F[^1]).First();
            context.Say($"2-D valley at {LabFormat.G(valley.Angle * 180 / Math.PI)}°, {recipe.Name}: lr {LabFormat.G(best.Rate)}, f stays ≤ {LabFormat.G(SurfaceThreshold)} after {Steps(best.Walk.StepsToStay(SurfaceThreshold))}");
            kept.Add((recipe, best.Rate, best.Walk));
        }
        return kept;
    }

    // The valley's contours and the first PathPoints steps of each walk, framed around the start and the minimum.
    private static void DrawPaths(string file, string how, IllConditionedQuadratic valley, List<(OptimizerRecipe Recipe, double Rate, SurfacePath Walk)> walks, int steps)
    {
        var (x0, y0) = valley.FromValley(Start.U, Start.V);
        double width = Math.Abs(x0), height = Math.Abs(y0);
        var xRange = (Math.Min(x0, 0) - 0.15 * width - 0.3, Math.Max(x0, 0) + 0.35 * width + 0.3);
        var yRange = (Math.Min(y0, 0) - 0.5 * height - 0.3, Math.Max(y0, 0) + 0.5 * height + 0.3);
        int points = Math.Min(steps, PathPoints);
        ContourPaths.Save(file, $"f = ½(u² + {LabFormat.G(Kappa)}v²), valley {how}: the first {points} steps of each optimizer", valley.Value, xRange, yRange,
            [.. walks.Select(w => new ContourPaths.Path($"{w.Recipe.Name}, lr {LabFormat.G(w.Rate)}", w.Walk.X[..Math.Min(w.Walk.X.Length, points + 1)], w.Walk.Y[..Math.Min(w.Walk.Y.Length, points + 1)]))],
            minimum: (0, 0));
    }

    private static string Final(SurfacePath walk) => walk.Diverged ? "diverged" : LabFormat.Sci(walk.F[^1]);

    private static string Loss(double value) => double.IsFinite(value) ? LabFormat.F(value, 4) : "diverged";

    private static string Steps(int? steps, bool bare = false) =>
        steps is int s ? (bare ? LabFormat.N(s) : $"{LabFormat.N(s)} step{(s == 1 ? "" : "s")}") : bare ? "never" : "never (within the run)";
}
