using Nabla.NN;
using Nabla.Optim;
using TorchSharp;
using NablaTensor = Nabla.Tensors.Tensor;

namespace Nabla.Parity.Tests.Optim;

/// <summary>Optimizers compared as trajectories: identical parameters and the same loss in both libraries,
/// ten steps, the parameters compared after every step.</summary>
public sealed class OptimizerParityTests
{
    private const int Steps = 10;
    private static readonly int[][] Shapes = [[4, 3], [3]];

    private static float[] Values(int seed, int count, float scale)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => scale * (float)(2 * rng.NextDouble() - 1)).ToArray();
    }

    private static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    /// <summary>L = ½ Σ c ⊙ (p − t)², so ∇L = c ⊙ (p − t): the gradient depends on the parameter, as in training.</summary>
    private static void Trajectory(Func<IEnumerable<Parameter>, Optimizer> makeNabla, Func<IEnumerable<TorchSharp.Modules.Parameter>, torch.optim.Optimizer> makeTorch)
    {
        using var scope = torch.NewDisposeScope();
        var init = Shapes.Select((s, i) => Values(10 + i, Count(s), 2)).ToArray();
        var target = Shapes.Select((s, i) => Values(20 + i, Count(s), 1)).ToArray();
        var curvature = Shapes.Select((s, i) => Values(30 + i, Count(s), 1).Select(v => 1.5f + v).ToArray()).ToArray();

        var pn = Shapes.Select((s, i) => new Parameter(NablaTensor.FromArray<float>(init[i], s))).ToArray();
        var pt = Shapes.Select((s, i) => new TorchSharp.Modules.Parameter(TorchOracle.Tensor(init[i], [.. s.Select(d => (long)d)]))).ToArray();
        var optN = makeNabla(pn);
        var optT = makeTorch(pt);

        for (int step = 1; step <= Steps; step++)
        {
            optN.ZeroGrad();
            optT.zero_grad();
            NablaTensor ln = NablaTensor.Scalar(0);
            torch.Tensor lt = torch.tensor(0f);
            for (int i = 0; i < Shapes.Length; i++)
            {
                var dn = pn[i] - NablaTensor.FromArray<float>(target[i], Shapes[i]);
                ln = ln + (dn * dn * NablaTensor.FromArray<float>(curvature[i], Shapes[i])).Sum() * 0.5;
                var dt = pt[i] - TorchOracle.Tensor(target[i], pt[i].shape);
                lt = lt + (dt * dt * TorchOracle.Tensor(curvature[i], pt[i].shape)).sum() * 0.5;
            }
            ln.Backward();
            lt.backward();
            optN.Step();
            optT.step();

            for (int i = 0; i < Shapes.Length; i++)
            {
                var expected = TorchOracle.Values(pt[i]);
                var actual = pn[i].ToArray<float>();
                for (int j = 0; j < expected.Length; j++)
                    Assert.True(Math.Abs(actual[j] - expected[j]) <= 1e-5 * Math.Max(1, Math.Abs(expected[j])),
                        $"step {step}, parameter {i}[{j}]: torch {expected[j]:R}, nabla {actual[j]:R}");
            }
        }
    }

    [Fact]
    public void SgdNesterovMomentumWithWeightDecay_TenSteps_MatchTorch() => Trajectory(
        p => new Sgd(p, lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true),
        p => torch.optim.SGD(p, 0.1, momentum: 0.9, weight_decay: 0.01, nesterov: true));

    [Fact]
    public void SgdMomentumWithDampening_TenSteps_MatchTorch() => Trajectory(
        p => new Sgd(p, new SgdOptions { LearningRate = 0.05, Momentum = 0.8, Dampening = 0.3 }),
        p => torch.optim.SGD(p, 0.05, momentum: 0.8, dampening: 0.3));

    [Fact]
    public void AdamAmsGradWithWeightDecay_TenSteps_MatchTorch() => Trajectory(
        p => new Adam(p, new AdamOptions { LearningRate = 0.05, WeightDecay = 0.01, AmsGrad = true }),
        p => torch.optim.Adam(p, lr: 0.05, weight_decay: 0.01, amsgrad: true));

    [Fact]
    public void AdamDefaults_TenSteps_MatchTorch() => Trajectory(
        p => new Adam(p, lr: 0.05),
        p => torch.optim.Adam(p, lr: 0.05));

    [Fact]
    public void AdamMaximize_TenSteps_MatchTorch() => Trajectory(
        p => new Adam(p, new AdamOptions { LearningRate = 0.01, Maximize = true }),
        p => torch.optim.Adam(p, lr: 0.01, maximize: true));

    [Fact]
    public void AdamW_TenSteps_MatchTorch() => Trajectory(
        p => AdamW.Create(p, lr: 0.05, weightDecay: 0.1),
        p => torch.optim.AdamW(p, lr: 0.05, weight_decay: 0.1));

    [Fact]
    public void AdamWAmsGrad_TenSteps_MatchTorch() => Trajectory(
        p => AdamW.Create(p, lr: 0.02, weightDecay: 0.05, amsGrad: true),
        p => torch.optim.AdamW(p, lr: 0.02, weight_decay: 0.05, amsgrad: true));

    [Fact]
    public void RmsPropDefaults_TenSteps_MatchTorch() => Trajectory(
        p => new RmsProp(p, lr: 0.01),
        p => torch.optim.RMSProp(p, lr: 0.01));

    [Fact]
    public void RmsPropCenteredWithMomentumAndWeightDecay_TenSteps_MatchTorch() => Trajectory(
        p => new RmsProp(p, lr: 0.01, alpha: 0.9, weightDecay: 0.01, momentum: 0.5, centered: true),
        p => torch.optim.RMSProp(p, lr: 0.01, alpha: 0.9, weight_decay: 0.01, momentum: 0.5, centered: true));
}
