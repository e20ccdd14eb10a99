using System.Diagnostics;
using Nabla.Cli.Sequence.Seq2Seq;
using Nabla.Models.Tasks;
using Nabla.Models.Translation;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Common;

/// <summary>The training and evaluation <c>nabla train seq2seq</c> does, for the lab: teacher forcing on a fresh batch of
/// dates each step, Adam with linear warm-up then cosine decay, gradient norm clipped at 1; exact match by greedy
/// decoding, example by example.</summary>
internal static class TranslationTrainer
{
    private const int EvaluationChunk = 250;

    /// <summary>Trains <paramref name="model"/> for <paramref name="steps"/> steps of <paramref name="batch"/> training dates
    /// drawn from <paramref name="data"/>; returns the loss of every step and the seconds taken.</summary>
    public static (double[] Losses, double Seconds) Train(Seq2SeqModel model, DateBatches batches, int steps, int batch, double learningRate, Generator data)
    {
        var clock = Stopwatch.StartNew();
        var parameters = model.Parameters().ToList();
        var optimizer = new Adam(parameters, lr: learningRate);
        int warmup = Math.Max(1, Math.Min(200, steps / 10));
        var losses = new double[steps];
        model.Train();
        for (int step = 1; step <= steps; step++)
        {
            // lr·min(1, step/warm-up)·½(1 + cos(π·step/steps)): the schedule of nabla train seq2seq.
            optimizer.LearningRate = learningRate * Math.Min(1.0, step / (double)warmup) * 0.5 * (1 + Math.Cos(Math.PI * step / steps));
            var (source, lengths, input, target) = batches.Make(DateTranslation.Sample(batch, test: false, data));
            var logits = model.Forward(source, lengths, input);
            var loss = Functional.CrossEntropy(logits.Reshape([-1, batches.Target.Count]), target.Reshape([-1]));
            optimizer.ZeroGrad();
            loss.Backward();
            GradientClipping.ClipGradNorm(parameters, 1.0);
            optimizer.Step();
            losses[step - 1] = loss.Item();
        }
        return (losses, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Whether greedy decoding translates each of <paramref name="examples"/> exactly (evaluation mode).</summary>
    public static bool[] ExactMatches(Seq2SeqModel model, DateBatches batches, IReadOnlyList<DateTranslation.Example> examples)
    {
        model.Eval();
        try
        {
            var correct = new bool[examples.Count];
            for (int start = 0; start < examples.Count; start += EvaluationChunk)
            {
                var chunk = examples.Skip(start).Take(EvaluationChunk).ToArray();
                var (source, lengths, _, _) = batches.Make(chunk);
                var decoded = Decoding.Greedy(model, source, lengths, DateBatches.TargetSteps);
                for (int i = 0; i < chunk.Length; i++) correct[start + i] = batches.Target.Decode(decoded[i]) == chunk[i].Target;
            }
            return correct;
        }
        finally { model.Train(); }
    }
}
