using Nabla.Tests.Autograd;

namespace Nabla.Parity.Tests.Autograd;

/// <summary>Every op of the table against its TorchSharp twin: forward output and every input gradient in float32.</summary>
public sealed class OpParityTests
{
    [Theory, MemberData(nameof(OpCases.All), MemberType = typeof(OpCases))]
    public void ForwardAndGradients_MatchTorch(OpCase op) => Parity.Assert(op, TorchTwins.ByName[op.Name]);

    [Fact]
    public void EveryOpCase_HasATorchTwin()
    {
        var missing = OpCases.List.Select(c => c.Name).Where(n => !TorchTwins.ByName.ContainsKey(n)).ToList();

        Assert.True(missing.Count == 0, $"op cases without a TorchSharp twin: {string.Join("; ", missing)}");
    }

    [Fact]
    public void EveryTorchTwin_NamesAnOpCase()
    {
        var names = OpCases.List.Select(c => c.Name).ToHashSet();

        Assert.DoesNotContain(TorchTwins.ByName.Keys, k => !names.Contains(k));
    }

    [Fact]
    public void ParityHelper_WithExplicitShapes_ComparesSoftmax() =>
        Parity.Assert([[4, 10]], x => x[0].Softmax(dim: -1), x => x[0].softmax(-1));
}
