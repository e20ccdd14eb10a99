using System.Diagnostics;
using Nabla.Models;
using Nabla.Models.Tasks;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Sequence.Memory;

/// <summary>Trains one <see cref="RecurrentClassifier"/> on one <see cref="MemoryTask"/>: a fresh batch every step,
/// Adam with optional gradient-norm clipping, the test set evaluated every <see cref="MemorySettings.EvalEvery"/>
/// steps, stopping at the first evaluation that finds the task solved.</summary>
internal static class MemoryTrainer
{
    private const int EvaluationBatch = 500;

    /// <summary>Trains <paramref name="model"/>; returns its result and learning curve.</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="name">The model's name ("lstm").</param>
    /// <param name="model">The freshly initialized model.</param>
    /// <param name="task">The task at this run's length.</param>
    /// <param name="test">The held-out sequences and their targets.</param>
    /// <param name="data">Draws the training sequences.</param>
    /// <param name="metrics">Receives a row per evaluation.</param>
    /// <param name="progress">Shows the run.</param>
    public static (MemoryResult Result, LearningCurve Curve) Train(MemorySettings settings, string name, RecurrentClassifier model, MemoryTask task,
        (Tensor Input, Tensor Target) test, Generator data, MemoryMetrics metrics, IRunProgress progress)
    {
        var clock = Stopwatch.StartNew();
        var parameters = model.Parameters().ToList();
        var optimizer = new Adam(parameters, lr: settings.LearningRate);
        var curveSteps = new List<double>();
        var curveAccuracy = new List<double>();
        double windowLoss = 0, testLoss = double.NaN, testAccuracy = double.NaN;
        long windowCorrect = 0, windowSamples = 0;
        int step = 0, windowSteps = 0;
        int? solvedAt = null, divergedAt = null;
        string title = $"{MemorySettings.Title(name)} T={task.Length}";
        model.Train();
        while (step < settings.Steps)
        {
            var (x, y) = task.Sample(settings.BatchSize, data);
            var output = model.Call(x);
            var loss = task.Loss(output, y);
            optimizer.ZeroGrad();
            loss.Backward();
            if (settings.Clip > 0) GradientClipping.ClipGradNorm(parameters, settings.Clip);
            optimizer.Step();
            step++;

            double value = loss.Item();
            if (!double.IsFinite(value)) { divergedAt = step; break; }
            using (Tensor.NoGrad()) windowCorrect += task.CountCorrect(output, y);
            windowLoss += value;
            windowSamples += settings.BatchSize;
            windowSteps++;
            progress.Step(step, () => FormattableString.Invariant(
                $"{title}  step {step}/{settings.Steps}  loss {windowLoss / windowSteps:F4}  test {(double.IsNaN(testAccuracy) ? "…" : $"{testAccuracy * 100:F1}%")}"));

            if (step % settings.EvalEvery != 0 && step != settings.Steps) continue;
            (testLoss, testAccuracy) = Evaluate(model, task, test);
            metrics.Row(name, task.Length, step, windowLoss / windowSteps, (double)windowCorrect / windowSamples, testLoss, testAccuracy, clock.Elapsed.TotalSeconds);
            curveSteps.Add(step);
            curveAccuracy.Add(testAccuracy);
            (windowLoss, windowCorrect, windowSamples, windowSteps) = (0, 0, 0, 0);
            if (task.IsSolved(testLoss, testAccuracy)) { solvedAt = step; break; }
        }
        if (curveSteps.Count == 0 || curveSteps[^1] != step) (testLoss, testAccuracy) = Evaluate(model, task, test);
        var result = new MemoryResult(name, task.Length, model.ParameterCount(), step, solvedAt, testLoss, testAccuracy, task.ChanceAccuracy,
            clock.Elapsed.TotalSeconds, divergedAt);
        return (result, new LearningCurve(name, task.Length, [.. curveSteps], [.. curveAccuracy]));
    }

    /// <summary>The mean loss and the accuracy over the held-out sequences.</summary>
    public static (double Loss, double Accuracy) Evaluate(RecurrentClassifier model, MemoryTask task, (Tensor Input, Tensor Target) test)
    {
        using var _ = Tensor.NoGrad();
        model.Eval();
        int count = test.Input.Shape[0];
        double loss = 0;
        long correct = 0;
        for (int start = 0; start < count; start += EvaluationBatch)
        {
            int n = Math.Min(EvaluationBatch, count - start);
            var x = test.Input.Narrow(0, start, n);
            var y = test.Target.Narrow(0, start, n);
            var output = model.Call(x);
            loss += task.Loss(output, y).Item() * n;
            correct += task.CountCorrect(output, y);
        }
        model.Train();
        return (loss / count, (double)correct / count);
    }
}
