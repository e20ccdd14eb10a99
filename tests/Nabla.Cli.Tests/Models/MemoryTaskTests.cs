using Nabla.Models.Tasks;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Models;

/// <summary>The memory tasks' generators: shapes, labels, reproducibility, and their objectives.</summary>
public sealed class MemoryTaskTests
{
    [Fact]
    public void Recall_PutsTheLabelAtStepZero_AndOnlyDistractorsAfter()
    {
        var task = new RecallTask(length: 12, symbols: 5, distractors: 3);
        var (input, target) = task.Sample(64, new Generator(1));

        Assert.Equal([64, 12, 8], input.Shape);
        Assert.Equal([64], target.Shape);
        Assert.Equal(DType.Int64, target.DType);
        var x = input.ToArray<float>();
        var y = target.ToArray<long>();
        for (int b = 0; b < 64; b++)
            for (int t = 0; t < 12; t++)
            {
                var step = x.AsSpan((b * 12 + t) * 8, 8);
                Assert.Equal(1, step.ToArray().Count(v => v == 1));   // one-hot
                Assert.Equal(7, step.ToArray().Count(v => v == 0));
                int hot = step.IndexOf(1f);
                if (t == 0) Assert.Equal(y[b], hot);                  // the label is the symbol at step 0
                else Assert.InRange(hot, 5, 7);                       // later steps: distractors only
            }
    }

    [Fact]
    public void Recall_DrawsEveryClassAndEveryDistractor_NearUniformly()
    {
        var (input, target) = new RecallTask(length: 4).Sample(4000, new Generator(2));

        var counts = target.ToArray<long>().GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 400, 600));   // 500 expected, σ ≈ 21
        var distractors = input.Narrow(1, 1, 3).Sum(0).Sum(0).ToArray<float>();   // [16] per channel
        Assert.All(distractors[..8], c => Assert.Equal(0, c));
        Assert.All(distractors[8..], c => Assert.InRange(c, 1300, 1700));        // 12,000 / 8 = 1,500 expected
    }

    [Fact]
    public void Sample_IsReproducibleFromTheSeed_AndDiffersAcrossSeeds()
    {
        MemoryTask[] tasks = [new RecallTask(20), new AddingTask(20)];
        foreach (var task in tasks)
        {
            var (x1, y1) = task.Sample(16, new Generator(7));
            var (x2, y2) = task.Sample(16, new Generator(7));
            var (x3, _) = task.Sample(16, new Generator(8));
            Assert.Equal(x1.ToArray<float>(), x2.ToArray<float>());
            Assert.Equal(16, y1.Eq(y2).CountNonZero());
            Assert.NotEqual(x1.ToArray<float>(), x3.ToArray<float>());
        }
    }

    [Fact]
    public void Adding_MarksOneStepInEachHalf_AndTargetsTheirSum()
    {
        var task = new AddingTask(length: 9);
        var (input, target) = task.Sample(200, new Generator(3));

        Assert.Equal([200, 9, 2], input.Shape);
        Assert.Equal([200, 1], target.Shape);
        var x = input.ToArray<float>();
        var y = target.ToArray<float>();
        for (int b = 0; b < 200; b++)
        {
            var marked = Enumerable.Range(0, 9).Where(t => x[(b * 9 + t) * 2 + 1] == 1).ToArray();
            Assert.Equal(2, marked.Length);
            Assert.All(Enumerable.Range(0, 9).Except(marked), t => Assert.Equal(0, x[(b * 9 + t) * 2 + 1]));
            Assert.InRange(marked[0], 0, 3);   // first half: steps 0 … ⌊9/2⌋ − 1
            Assert.InRange(marked[1], 4, 8);
            Assert.Equal(x[(b * 9 + marked[0]) * 2] + x[(b * 9 + marked[1]) * 2], y[b]);
            Assert.All(Enumerable.Range(0, 9), t => Assert.InRange(x[(b * 9 + t) * 2], 0f, 0.99999994f));
        }
    }

    [Fact]
    public void Adding_ChanceAccuracy_IsThatOfAlwaysAnsweringOne()
    {
        var task = new AddingTask(length: 4);
        var (_, target) = task.Sample(40_000, new Generator(4));

        double measured = (double)task.CountCorrect(Tensor.OnesLike(target), target) / 40_000;
        Assert.Equal(0.0784, task.ChanceAccuracy, 10);
        Assert.InRange(measured, 0.0784 - 0.006, 0.0784 + 0.006);   // σ ≈ 0.0013
        // Always answering 1 has MSE Var(v₁ + v₂) = 2/12.
        Assert.InRange(task.Loss(Tensor.OnesLike(target), target).Item(), 1.0 / 6 - 0.005, 1.0 / 6 + 0.005);
    }

    [Fact]
    public void CountCorrect_AndIsSolved_FollowEachTasksCriterion()
    {
        var recall = new RecallTask(5, symbols: 3);
        var logits = Tensor.FromArray([5f, 0, 0, 0, 5, 0, 0, 0, 5, 5, 0, 0], [4, 3]);
        Assert.Equal(3, recall.CountCorrect(logits, Tensor.FromArray([0L, 1, 2, 2], [4])));
        Assert.True(recall.IsSolved(loss: 5, accuracy: 0.99));
        Assert.False(recall.IsSolved(loss: 0, accuracy: 0.989));
        Assert.Equal(1.0 / 3, recall.ChanceAccuracy, 12);

        var adding = new AddingTask(5);
        var target = Tensor.FromArray([0.5f, 1.5f], [2, 1]);
        Assert.Equal(2, adding.CountCorrect(target.Add(0.039), target));
        Assert.Equal(0, adding.CountCorrect(target.Sub(0.041), target));
        Assert.True(adding.IsSolved(loss: 0.0099, accuracy: 0));
        Assert.False(adding.IsSolved(loss: 0.01, accuracy: 1));
    }

    [Fact]
    public void Constructors_RefuseImpossibleSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecallTask(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecallTask(10, symbols: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecallTask(10, distractors: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddingTask(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddingTask(5).Sample(0, new Generator(1)));
    }
}
