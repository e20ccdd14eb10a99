using System.Diagnostics;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Common;

/// <summary>Trains a <see cref="TokenTagger"/> on freshly drawn batches of a synthetic task and measures it on a fixed
/// test set: Adam, linear warm-up then cosine decay of the learning rate, gradient norm clipped at 1.</summary>
internal static class TaggerTrainer
{
    /// <summary>How long and how fast to train.</summary>
    /// <param name="Steps">Optimizer steps.</param>
    /// <param name="BatchSize">Sequences per step.</param>
    /// <param name="LearningRate">Adam's peak learning rate.</param>
    /// <param name="EvaluateEvery">Steps between test evaluations (the last step is always evaluated).</param>
    public sealed record Settings(int Steps, int BatchSize, double LearningRate, int EvaluateEvery);

    /// <summary>Accuracy over the labelled positions.</summary>
    /// <param name="Token">The fraction of labels predicted right.</param>
    /// <param name="Sequence">The fraction of sequences with every label right.</param>
    public sealed record Score(double Token, double Sequence);

    /// <summary>What a run measured.</summary>
    /// <param name="StepLosses">The cross-entropy of every step.</param>
    /// <param name="Curve">The test score after each evaluation, by step.</param>
    /// <param name="Seconds">Wall time of the run.</param>
    public sealed record History(IReadOnlyList<double> StepLosses, IReadOnlyList<(int Step, Score Score)> Curve, double Seconds)
    {
        /// <summary>The score after the last step.</summary>
        public Score Final => Curve[^1].Score;
    }

    /// <summary>Trains <paramref name="model"/> on batches from <paramref name="sample"/> (size, generator) and evaluates it
    /// on <paramref name="test"/>.</summary>
    public static History Train(TokenTagger model, Func<int, Generator, TaggedBatch> sample, TaggedBatch test, Settings settings,
        Generator generator, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Steps, 1);
        var clock = Stopwatch.StartNew();
        var optimizer = new Adam(model.Parameters(), lr: settings.LearningRate);
        int warmup = Math.Max(1, Math.Min(100, settings.Steps / 10));
        var losses = new List<double>(settings.Steps);
        var curve = new List<(int, Score)>();
        model.Train();
        for (int step = 1; step <= settings.Steps; step++)
        {
            // lr_t = lr · min(1, t / warm-up) · ½(1 + cos(π t / steps)).
            optimizer.LearningRate = settings.LearningRate * Math.Min(1.0, step / (double)warmup) * 0.5 * (1 + Math.Cos(Math.PI * step / settings.Steps));
            var batch = sample(settings.BatchSize, generator);
            var loss = Loss(model, batch);
            optimizer.ZeroGrad();
            loss.Backward();
            GradientClipping.ClipGradNorm(model.Parameters(), 1.0);
            optimizer.Step();
            losses.Add(loss.Item());
            if (step % settings.EvaluateEvery == 0 || step == settings.Steps)
            {
                var score = Evaluate(model, test);
                curve.Add((step, score));
                log?.Invoke($"step {step}/{settings.Steps}: loss {LabFormat.F(losses[^1], 4)}, test accuracy {LabFormat.Percent(score.Token, 1)} per label, {LabFormat.Percent(score.Sequence, 1)} per sequence");
            }
        }
        return new History(losses, curve, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Mean cross-entropy over the labelled positions of <paramref name="batch"/>.</summary>
    public static Tensor Loss(TokenTagger model, TaggedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var logits = model.Call(batch.Tokens);   // [N, T, K, C]
        return Functional.CrossEntropy(logits.Reshape(-1, model.Config.Classes), batch.Labels.Reshape(-1), ignoreIndex: (int)TaggedBatch.Ignore);
    }

    /// <summary>The model's accuracy on <paramref name="data"/> (evaluation mode, no gradients).</summary>
    public static Score Evaluate(TokenTagger model, TaggedBatch data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var predicted = Predict(model, data.Tokens);
        var labels = data.Labels.Contiguous().ToArray<long>();
        int perSequence = labels.Length / data.Count;
        long right = 0, labelled = 0, perfect = 0;
        for (int n = 0; n < data.Count; n++)
        {
            bool all = true;
            for (int i = n * perSequence; i < (n + 1) * perSequence; i++)
            {
                if (labels[i] == TaggedBatch.Ignore) continue;
                labelled++;
                if (predicted[i] == labels[i]) right++;
                else all = false;
            }
            if (all) perfect++;
        }
        return new Score(labelled == 0 ? 0 : right / (double)labelled, perfect / (double)data.Count);
    }

    /// <summary>The most likely label of every position and output, flattened [N·T·K], in evaluation mode.</summary>
    public static long[] Predict(TokenTagger model, Tensor tokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        bool training = model.Training;
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var result = new List<long>();
            const int Chunk = 500;
            for (int start = 0; start < tokens.Shape[0]; start += Chunk)
            {
                var part = tokens.Narrow(0, start, Math.Min(Chunk, tokens.Shape[0] - start));
                result.AddRange(model.Call(part).ArgMax(-1).Contiguous().ToArray<long>());
            }
            return [.. result];
        }
        finally { model.Train(training); }
    }
}
