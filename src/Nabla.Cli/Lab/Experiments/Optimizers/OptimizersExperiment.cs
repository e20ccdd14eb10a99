using Nabla.Cli.Lab.Common;
using Nabla.Cli.Lab.Plots;
using Nabla.Data;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.Optimizers;

/// <summary>SGD, SGD with momentum, RMSprop and Adam on the same MNIST network, data order and initial weights, each at
/// the best of a few learning rates; then the same four on an ill-conditioned 2-D quadratic, their paths drawn over
/// its contours. The verdict on "Adam converges faster than plain SGD" is computed from steps to a loss threshold.</summary>
internal sealed class OptimizersExperiment : ILabExperiment
{
    /// <summary>The MNIST threshold: steps until the smoothed training loss first reaches this.</summary>
    public const double LossThreshold = 0.25;

    /// <summary>The 2-D threshold: steps until f first reaches this.</summary>
    public const double SurfaceThreshold = 1e-3;

    private const int Hidden = 256, Classes = 10;
    private static readonly IllConditionedQuadratic Surface = new(Kappa: 50);
    private static readonly (double X, double Y) Start = (-4, 1);

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
        double beta = context.Pick(0.8, 0.95, 0.98);
        var train = ClassifierTrainer.Head(context.Mnist(train: true, normalize: true), trainCount);
        var test = ClassifierTrainer.Head(context.Mnist(train: false, normalize: true), testCount);
        int steps = epochs * ((train.Count + batchSize - 1) / batchSize);
        var recipes = OptimizerRecipe.All;

        report.Setup($"**MNIST.** An MLP 784→{Hidden}→10 (ReLU, {LabFormat.N(Build(context).ParameterCount())} parameters) is trained with each optimizer on the first {LabFormat.N(train.Count)} training images "
            + $"(normalized), batch {batchSize}, {epochs} epoch(s) = {LabFormat.N(steps)} steps, cross-entropy, seed {context.Seed}. Every run starts from the same weights "
            + "(one initialization, copied in by its state dict) and sees the batches in the same order. Each optimizer is run at every learning rate of its grid "
            + $"and the one with the lowest final training loss (mean over the last 10% of steps) is kept; test accuracy is measured on {LabFormat.N(test.Count)} test images.");
        report.SetupList([.. recipes.Select(r => $"{r.Name}: learning rates {string.Join(", ", r.MnistRates.Select(LabFormat.G))}")]);
        report.Setup($"**2-D.** The same four optimizers minimize f(x, y) = ½(x² + {LabFormat.G(Surface.Kappa)}·y²) from ({LabFormat.G(Start.X)}, {LabFormat.G(Start.Y)}) "
            + $"for {surfaceSteps} steps, the point being a float64 `Parameter` whose gradient autograd computes; each at the learning rate of "
            + $"{{{string.Join(", ", recipes[0].SurfaceRates.Select(LabFormat.G))}}} that reaches f ≤ {LabFormat.G(SurfaceThreshold)} in the fewest steps. "
            + "Momentum is 0.9, RMSprop's α 0.99, Adam's β (0.9, 0.999); ε = 10⁻⁸.");

        var mnist = TrainAll(context, recipes, train, test, epochs, batchSize);
        var chosen = recipes.Select(r => mnist.Where(m => m.Recipe == r).MinBy(m => m.Final)!).ToList();

        report.Section("MNIST: loss per step");
        var table = new LabTable("optimizer", "learning rate", $"steps to smoothed loss ≤ {LabFormat.G(LossThreshold)}", "final training loss", "test accuracy");
        var smoothed = new List<double[]>();
        foreach (var run in chosen)
        {
            var curve = LossSmoothing.Ema(run.History.StepLosses, beta);
            smoothed.Add(curve);
            int? reach = LossSmoothing.FirstAtOrBelow(curve, LossThreshold);
            table.Row(run.Recipe.Name, LabFormat.G(run.Rate), reach is int r ? LabFormat.N(r) : $"not reached in {LabFormat.N(steps)}", LabFormat.F(run.Final, 4),
                LabFormat.Percent(run.History.Last.TestAccuracy));
        }
        report.Table(table);
        Chart.Save(context.PathOf("mnist-loss.png"), "MNIST MLP: training loss (smoothed), each optimizer at its best learning rate", "step", "cross-entropy",
            chosen.Select((run, k) => new Chart.Series($"{run.Recipe.Name}, lr {LabFormat.G(run.Rate)}",
                [.. Enumerable.Range(1, smoothed[k].Length).Select(s => (double)s)], smoothed[k])), logY: true);
        report.Image("mnist-loss.png", $"Training loss per step of the four runs kept (exponential moving average, β = {beta}); same initial weights and batches for all.");

        var sweep = new LabTable("optimizer", "learning rate", "final training loss", "test accuracy");
        foreach (var run in mnist) sweep.Row(run.Recipe.Name, LabFormat.G(run.Rate), LabFormat.F(run.Final, 4), LabFormat.Percent(run.History.Last.TestAccuracy));
        report.Text("Every run of the learning-rate grids (the kept ones are those with the lowest final loss per optimizer):").Table(sweep);
        Chart.Save(context.PathOf("mnist-rates.png"), "MNIST MLP: final training loss against learning rate", "learning rate", "final training loss",
            recipes.Select(r => new Chart.Series(r.Name, [.. mnist.Where(m => m.Recipe == r).Select(m => m.Rate)], [.. mnist.Where(m => m.Recipe == r).Select(m => m.Final)], Markers: true)),
            logX: true, logY: true);
        report.Image("mnist-rates.png", "Final training loss of every run against its learning rate: each method has its own good range, a factor of about 100 apart between plain SGD and the adaptive methods.");

        var walks = Walk(context, recipes, surfaceSteps);
        report.Section("2-D: paths on an ill-conditioned valley");
        var (bestRate, bestRatio) = Surface.BestGradientDescent;
        report.Text($"The Hessian of f is diag(1, {LabFormat.G(Surface.Kappa)}): condition number κ = {LabFormat.G(Surface.Kappa)}. Plain gradient descent is stable only for η < 2/κ = {LabFormat.G(2 / Surface.Kappa)}, "
            + $"and at its best rate, η = 2/(1 + κ) = {LabFormat.G(bestRate)}, each coordinate's error shrinks only by the factor (κ − 1)/(κ + 1) = {LabFormat.F(bestRatio, 3)} per step.");
        var surfaceTable = new LabTable("optimizer", "learning rate", $"steps to f ≤ {LabFormat.G(SurfaceThreshold)}", $"f after {surfaceSteps} steps");
        foreach (var (recipe, rate, walk) in walks)
            surfaceTable.Row(recipe.Name, LabFormat.G(rate), walk.StepsTo(SurfaceThreshold) is int s ? LabFormat.N(s) : "not reached", walk.Diverged ? "diverged" : LabFormat.Sci(walk.F[^1]));
        report.Table(surfaceTable);
        ContourPaths.Save(context.PathOf("paths.png"), $"f = ½(x² + {LabFormat.G(Surface.Kappa)}y²): the first {Math.Min(surfaceSteps, PathPoints)} steps of each optimizer",
            Surface.Value, (-4.5, 1.5), (-1.5, 1.5),
            [.. walks.Select(w => new ContourPaths.Path($"{w.Recipe.Name}, lr {LabFormat.G(w.Rate)}", w.Walk.X[..Math.Min(w.Walk.X.Length, PathPoints + 1)], w.Walk.Y[..Math.Min(w.Walk.Y.Length, PathPoints + 1)]))],
            minimum: (0, 0));
        report.Image("paths.png", $"Paths from ({LabFormat.G(Start.X)}, {LabFormat.G(Start.Y)}) (ringed) towards the minimum (cross) over log₁₀ f: plain SGD zig-zags across the steep y direction while crawling along x; "
            + "momentum builds speed along the valley; RMSprop and Adam rescale each coordinate and head for the minimum almost diagonally.");
        Chart.Save(context.PathOf("surface-loss.png"), "2-D quadratic: f per step", "step", "f(x, y)",
            walks.Select(w => new Chart.Series($"{w.Recipe.Name}, lr {LabFormat.G(w.Rate)}", [.. Enumerable.Range(0, w.Walk.F.Length).Select(s => (double)s)], w.Walk.F)), logY: true);
        report.Image("surface-loss.png", "f(x, y) per step on the 2-D quadratic (log scale).");

        var sgd = chosen[0];
        var adam = chosen[3];
        int? sgdSteps = LossSmoothing.FirstAtOrBelow(smoothed[0], LossThreshold), adamSteps = LossSmoothing.FirstAtOrBelow(smoothed[3], LossThreshold);
        int? sgdSurface = walks[0].Walk.StepsTo(SurfaceThreshold), adamSurface = walks[3].Walk.StepsTo(SurfaceThreshold);
        var verdict = SpeedRule.Decide(adamSteps, sgdSteps, adam.Final, sgd.Final);
        var surfaceVerdict = SpeedRule.Decide(adamSurface, sgdSurface, walks[3].Walk.F[^1], walks[0].Walk.F[^1]);
        foreach (var (run, k) in chosen.Select((run, k) => (run, k)))
        {
            string key = run.Recipe.Key;
            report.Number($"{key}_lr", run.Rate).Number($"{key}_final_loss", run.Final).Number($"{key}_test_accuracy", run.History.Last.TestAccuracy);
            if (LossSmoothing.FirstAtOrBelow(smoothed[k], LossThreshold) is int r) report.Number($"{key}_steps_to_threshold", r);
            if (walks[k].Walk.StepsTo(SurfaceThreshold) is int s) report.Number($"{key}_surface_steps", s);
        }

        report.Section("Why");
        report.Text("Gradient descent moves θ ← θ − η·∇f. Along a direction of curvature λ the error is multiplied by (1 − ηλ) each step, so η must stay below 2/λ_max for the steepest direction "
            + "not to blow up, and then the flattest direction shrinks only by ηλ_min < 2/κ per step: the more ill-conditioned the problem (κ = λ_max/λ_min), the slower plain SGD. "
            + "Momentum, v ← μv + g, adds up gradients that agree (along the valley) and cancels those that alternate (across it), which in the best case turns the κ of the rate into √κ. "
            + "RMSprop divides each coordinate's step by √(running mean of g²) and Adam does the same with a running mean of g (momentum) on top, with bias correction: "
            + "each parameter gets a step of roughly η whatever its gradient's scale, a diagonal preconditioner that undoes ill-conditioning aligned with the axes. "
            + "That is why the adaptive methods also tolerate one learning rate across very different layers. Their limits: a valley at 45° to the axes is not helped by per-coordinate scaling, "
            + "and a well-tuned SGD with momentum often matches them, which is why each method here is compared at its own best learning rate.");
        report.Text($"Verdict rule (MNIST, the measurement that decides): **supported** if Adam's smoothed training loss reaches {LabFormat.G(LossThreshold)} in at most "
            + $"{LabFormat.F(SpeedRule.FasterFraction, 2)} of the steps plain SGD needs (or SGD never reaches it) and Adam's final loss is no higher; **not supported** if SGD reaches it "
            + $"in no more steps than Adam; inconclusive otherwise. The same rule applied to the 2-D quadratic (threshold f ≤ {LabFormat.G(SurfaceThreshold)}) gives: "
            + $"**{VerdictText.Of(surfaceVerdict)}**.");
        report.Conclude(verdict,
            $"On MNIST Adam (lr {LabFormat.G(adam.Rate)}) reached loss {LabFormat.G(LossThreshold)} in {Steps(adamSteps)} vs plain SGD's (lr {LabFormat.G(sgd.Rate)}) {Steps(sgdSteps)}, "
            + $"final loss {LabFormat.F(adam.Final, 4)} vs {LabFormat.F(sgd.Final, 4)}; on the 2-D quadratic {Steps(adamSurface)} vs {Steps(sgdSurface)} to f ≤ {LabFormat.G(SurfaceThreshold)}.");

        report.Change("--seed S draws another initialization and batch order; --threads N sets the CPU threads.");
        report.Change("The optimizers and their learning-rate grids: `OptimizerRecipe.All`; the thresholds: `OptimizersExperiment.LossThreshold` and `SurfaceThreshold`.");
        report.Change($"The 2-D function: `Surface` (κ = {LabFormat.G(Surface.Kappa)}) and `Start` in `OptimizersExperiment`; the MNIST network: `Build` (784→{Hidden}→10).");
    }

    private const int PathPoints = 120;

    private sealed record MnistRun(OptimizerRecipe Recipe, double Rate, ClassifierTrainer.History History, double Final);

    private static List<MnistRun> TrainAll(LabContext context, IReadOnlyList<OptimizerRecipe> recipes, TensorDataset train, TensorDataset test, int epochs, int batchSize)
    {
        // One initialization, copied into every run's network, so only the optimizer differs.
        var initial = Build(context).StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        var runs = new List<MnistRun>();
        foreach (var recipe in recipes)
            foreach (double rate in recipe.MnistRates)
            {
                var model = Build(context);
                model.LoadStateDict(initial);
                var history = ClassifierTrainer.Train(model, recipe.Create(model.Parameters(), rate), train, test, epochs, batchSize, context.Seed);
                var run = new MnistRun(recipe, rate, history, Final(history.StepLosses));
                context.Say($"{recipe.Name}, lr {LabFormat.G(rate)}: final loss {LabFormat.F(run.Final, 4)}, test accuracy {LabFormat.Percent(history.Last.TestAccuracy)}");
                runs.Add(run);
            }
        return runs;
    }

    // The mean of the last 10% of step losses; a run that blew up scores +∞ so it is never kept.
    private static double Final(IReadOnlyList<double> losses)
    {
        double tail = LossSmoothing.TailMean(losses);
        return double.IsFinite(tail) ? tail : double.PositiveInfinity;
    }

    private static Sequential Build(LabContext context)
    {
        var generator = context.Random(1);
        return new Sequential(new Flatten(), new Linear(28 * 28, Hidden, generator: generator), new ReLU(), new Linear(Hidden, Classes, generator: generator));
    }

    // Each optimizer at the rate of its grid that reaches the threshold first (else the lowest final f among walks that did not diverge).
    private static List<(OptimizerRecipe Recipe, double Rate, SurfacePath Walk)> Walk(LabContext context, IReadOnlyList<OptimizerRecipe> recipes, int steps)
    {
        var kept = new List<(OptimizerRecipe, double, SurfacePath)>();
        foreach (var recipe in recipes)
        {
            var tried = recipe.SurfaceRates.Select(rate => (Rate: rate, Walk: SurfaceDescent.Run(Surface.Value, Start, p => recipe.Create(p, rate), steps))).ToList();
            var best = tried.OrderBy(t => t.Walk.StepsTo(SurfaceThreshold) ?? int.MaxValue).ThenBy(t => t.Walk.Diverged ? double.PositiveInfinity : t.Walk.F[^1]).First();
            context.Say($"2-D {recipe.Name}: lr {LabFormat.G(best.Rate)}, {Steps(best.Walk.StepsTo(SurfaceThreshold))} to f ≤ {LabFormat.G(SurfaceThreshold)}");
            kept.Add((recipe, best.Rate, best.Walk));
        }
        return kept;
    }

    private static string Steps(int? steps) => steps is int s ? $"{LabFormat.N(s)} steps" : "never (within the run)";
}
