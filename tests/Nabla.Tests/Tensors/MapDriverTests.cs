using Nabla.Kernels;
using Nabla.NN;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>Element-wise functions split across threads in blocks (<c>MapDriver</c>): the same values as on one thread,
/// forward and backward, including a last block shorter than the others.</summary>
public sealed class MapDriverTests
{
    [Theory, InlineData(1), InlineData(2)]
    public void ElementwiseForwardAndBackward_DoNotDependOnTheSplit(int threads)
    {
        const int length = 17 * (1 << 14) + 123;   // above the 2¹⁸ elements from which the op splits
        var values = new float[length];
        var random = new Random(3);
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 6 - 3);
        float[] y, dx;
        using (KernelOptions.OverrideForTesting(threads: threads, forceParallel: threads > 1))
        {
            var x = Tensor.FromArray(values, [length]).RequiresGrad_();
            var z = Functional.LeakyRelu(x, 0.1).Tanh();
            z.Sum().Backward();
            y = z.ToArray<float>();
            dx = x.Grad!.ToArray<float>();
        }
        for (int i = 0; i < length; i++)
        {
            float leaky = values[i] > 0 ? values[i] : 0.1f * values[i];
            double expected = Math.Tanh(leaky), slope = (values[i] > 0 ? 1 : 0.1) * (1 - expected * expected);
            Assert.True(Math.Abs(y[i] - expected) < 1e-6, $"y[{i}] = {y[i]}, expected {expected}");
            Assert.True(Math.Abs(dx[i] - slope) < 1e-5, $"dx[{i}] = {dx[i]}, expected {slope}");
        }
    }
}
