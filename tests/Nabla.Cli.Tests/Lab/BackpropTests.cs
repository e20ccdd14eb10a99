using Nabla.Cli.Lab.Experiments.Backprop;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>backprop's three gradients: the chain rule written out by hand equals Nabla's autograd, both match finite
/// differences, and a case small enough to work on paper gives the values derived there.</summary>
public sealed class BackpropTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Hand_derivation_equals_autograd(long seed)
    {
        var net = TinyMlp.Draw(new Generator(seed));

        var hand = HandBackprop.Derive(net);
        var (loss, autograd) = NablaBackprop.Autograd(net);

        Assert.Equal(loss, hand.Loss, 1e-14);
        Assert.Equal(TinyMlp.ParameterCount, autograd.Length);
        for (int i = 0; i < autograd.Length; i++)
            Assert.True(GradientError.Scaled(hand.Gradient[i], autograd[i]) < 1e-13, $"{TinyMlp.Name(i)}: hand {hand.Gradient[i]}, autograd {autograd[i]}");
    }

    [Fact]
    public void Central_differences_match_the_hand_gradient()
    {
        var net = TinyMlp.Draw(new Generator(11));

        var hand = HandBackprop.Derive(net).Gradient;
        var numeric = NablaBackprop.CentralDifferences(net, 1e-6);

        Assert.True(GradientError.Max(hand, numeric) < 1e-8, $"max scaled error {GradientError.Max(hand, numeric)}");
    }

    [Fact]
    public void Zero_weights_give_the_gradient_worked_out_on_paper()
    {
        // θ = 0, y = 1: h = tanh(0) = 0, ŷ = σ(0) = ½, L = ¼; ∂L/∂ŷ = 2(½ − 1) = −1, ∂ŷ/∂z₂ = ¼, so δ₂ = −¼ = ∂L/∂b₂.
        // ∂L/∂W₂ = δ₂·h = 0 and ∂L/∂h = δ₂·W₂ = 0, so every first-layer gradient is 0 too.
        var net = new TinyMlp(new double[TinyMlp.ParameterCount], [0.3, -0.7], 1);

        var d = HandBackprop.Derive(net);

        Assert.Equal(0.25, d.Loss, 15);
        Assert.Equal(-1, d.DLossDYHat, 15);
        Assert.Equal(0.25, d.DYHatDZ2, 15);
        Assert.Equal(-0.25, d.Gradient[TinyMlp.B2Index], 15);
        for (int i = 0; i < TinyMlp.ParameterCount; i++)
            if (i != TinyMlp.B2Index) Assert.Equal(0, d.Gradient[i]);
        Assert.Equal(d.Gradient, NablaBackprop.Autograd(net).Gradient);
    }

    [Fact]
    public void Parameter_names_follow_the_vector_layout()
    {
        Assert.Equal("W1[0,0]", TinyMlp.Name(0));
        Assert.Equal("W1[2,1]", TinyMlp.Name(TinyMlp.W1Index(2, 1)));
        Assert.Equal("b1[1]", TinyMlp.Name(TinyMlp.B1Index(1)));
        Assert.Equal("W2[0,2]", TinyMlp.Name(TinyMlp.W2Index(2)));
        Assert.Equal("b2", TinyMlp.Name(TinyMlp.B2Index));
        Assert.Equal(13, TinyMlp.ParameterCount);
    }

    [Fact]
    public void Trace_prints_every_gradient_it_derived()
    {
        var net = TinyMlp.Draw(new Generator(2));
        var d = HandBackprop.Derive(net);

        string trace = HandBackprop.Trace(net, d);

        for (int i = 0; i < TinyMlp.ParameterCount; i++) Assert.Contains($"∂L/∂{TinyMlp.Name(i)}", trace);
        Assert.Contains(d.Loss.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), trace);
    }
}
