using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Tests.Optim;

/// <summary>Learning-rate schedules against PyTorch's formulas, step by step.</summary>
public sealed class SchedulerTests
{
    private static Sgd Optimizer(double lr) => new([new Parameter(Tensor.Zeros([1]))], lr);

    private static double[] Run(LrScheduler s, int steps)
    {
        var lrs = new double[steps + 1];
        lrs[0] = s.Optimizer.LearningRate;
        for (int i = 1; i <= steps; i++) { s.Step(); lrs[i] = s.Optimizer.LearningRate; }
        return lrs;
    }

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void StepLr_DecaysEveryStepSize() =>
        Close([1, 1, 1, 0.1, 0.1, 0.1, 0.01], Run(new StepLr(Optimizer(1), stepSize: 3, gamma: 0.1), 6));

    [Fact]
    public void MultiStepLr_DecaysAtMilestones() =>
        Close([1, 1, 0.5, 0.5, 0.5, 0.25], Run(new MultiStepLr(Optimizer(1), [2, 5], gamma: 0.5), 5));

    [Fact]
    public void ExponentialLr_DecaysEveryStep() =>
        Close([2, 1.8, 1.62, 1.458], Run(new ExponentialLr(Optimizer(2), 0.9), 3));

    [Fact]
    public void CosineAnnealingLr_FollowsHalfCosine()
    {
        var lrs = Run(new CosineAnnealingLr(Optimizer(1), tMax: 4, etaMin: 0.1), 4);
        Close([1, 0.1 + 0.9 * (1 + Math.Cos(Math.PI / 4)) / 2, 0.55, 0.1 + 0.9 * (1 + Math.Cos(3 * Math.PI / 4)) / 2, 0.1], lrs);
    }

    [Fact]
    public void LinearLr_WarmsUpThenHolds() =>
        Close([0.25, 0.5, 0.75, 1, 1], Run(new LinearLr(Optimizer(1), startFactor: 0.25, endFactor: 1, totalIters: 3), 4));

    [Fact]
    public void OneCycleLr_RisesToMaxThenAnnealsToMinimum()
    {
        var lrs = Run(new OneCycleLr(Optimizer(1), maxLr: 1, totalSteps: 10, pctStart: 0.3), 9);
        Assert.Equal(1 / 25.0, lrs[0], 12);                     // max / divFactor
        Assert.Equal(1, lrs[2], 12);                            // peak at step pctStart·total − 1 = 2
        Assert.Equal(1 / 25.0 / 1e4, lrs[9], 12);               // max / (divFactor · finalDivFactor)
        for (int i = 3; i < 10; i++) Assert.True(lrs[i] < lrs[i - 1]);
    }

    [Fact]
    public void ReduceLrOnPlateau_ReducesAfterPatienceWithoutImprovement()
    {
        var opt = Optimizer(1);
        var s = new ReduceLrOnPlateau(opt, patience: 2, factor: 0.5);
        foreach (double loss in new[] { 1.0, 0.9, 0.9, 0.9 }) s.Step(loss);
        Assert.Equal(1, opt.LearningRate);                       // two bad epochs: still patient
        s.Step(0.9);
        Assert.Equal(0.5, opt.LearningRate);                     // third bad epoch: reduced
        s.Step(0.5);
        Assert.Equal(0.5, opt.LearningRate);
    }

    [Fact]
    public void Restore_ContinuesTheSchedule()
    {
        var a = new StepLr(Optimizer(1), 2, 0.5);
        Run(a, 5);
        var b = new StepLr(Optimizer(1), 2, 0.5);
        b.Restore(5);
        Assert.Equal(a.Optimizer.LearningRate, b.Optimizer.LearningRate);
    }
}
