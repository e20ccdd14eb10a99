using Nabla.Cli.Lab.Experiments.Initialization;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>initialization's activation statistics follow the variance argument: the scale changes per layer by
/// √(n·Var(w)/2) under ReLU, and tanh's small activations are measured to full precision.</summary>
public sealed class InitializationTests
{
    [Fact]
    public void Relu_gain_per_layer_is_the_predicted_one()
    {
        var he = InitScheme.All.Single(s => s.Name == "He");
        var xavier = InitScheme.All.Single(s => s.Name == "Xavier");

        Assert.Equal(1, he.ReluGain(256), 12);
        Assert.Equal(Math.Sqrt(0.5), xavier.ReluGain(256), 12);
        foreach (var scheme in InitScheme.All)
        {
            var profile = ActivationProfile.Measure(scheme, "relu", 256, 20, 256, new Generator(1));
            Assert.Equal(21, profile.Std.Length);
            Assert.InRange(profile.GainPerLayer / scheme.ReluGain(256), 0.93, 1.07);
        }
    }

    [Fact]
    public void He_keeps_the_relu_scale_closest_to_the_input()
    {
        var decades = InitScheme.All.ToDictionary(s => s.Name, s => ActivationProfile.Measure(s, "relu", 128, 30, 128, new Generator(2)).Decades);

        Assert.Equal("He", decades.MinBy(d => d.Value).Key);
        Assert.True(decades["He"] < Math.Log10(2), $"He: {decades["He"]} decades");
    }

    [Fact]
    public void Tanh_with_small_weights_decays_geometrically_without_a_rounding_floor()
    {
        var small = InitScheme.All.Single(s => s.Name == "small uniform");

        var profile = ActivationProfile.Measure(small, "tanh", 128, 30, 64, new Generator(3));

        // tanh(z) ≈ z this close to 0, so the factor is √(n·Var(w)) all the way down, far below 1e-16.
        Assert.True(profile.Std[^1] is > 0 and < 1e-25, $"std at layer 30 = {profile.Std[^1]}");
        Assert.InRange(profile.GainPerLayer / small.LinearGain(128), 0.9, 1.1);
        Assert.All(profile.Saturated[1..], f => Assert.Equal(0, f));   // [0] is the N(0, 1) input itself
    }

    [Fact]
    public void Unit_normal_weights_saturate_tanh()
    {
        var unit = InitScheme.All.Single(s => s.Name == "unit normal");

        var profile = ActivationProfile.Measure(unit, "tanh", 128, 10, 64, new Generator(4));

        Assert.True(profile.Saturated[^1] > 0.7, $"saturated fraction {profile.Saturated[^1]}");
    }
}
