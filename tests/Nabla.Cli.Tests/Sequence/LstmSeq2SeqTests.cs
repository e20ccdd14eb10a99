using Nabla.Data.Text;
using Nabla.Models.Translation;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Sequence;

/// <summary>The encoder-decoder without attention: the attention model less its attention; step-by-step decoding and
/// padding are checked with the other models in <see cref="Seq2SeqModelTests"/>.</summary>
public sealed class LstmSeq2SeqTests
{
    [Fact]
    public void Parameters_are_the_attention_models_less_the_attention()
    {
        var plain = new LstmSeq2Seq(12, 9, 8, 16, 0, new Generator(1));
        var attention = new LstmAttentionSeq2Seq(12, 9, 8, 16, 0, new Generator(1));
        var expected = attention.NamedParameters().Where(p => !p.Name.StartsWith("attention.", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => p.Parameter.Shape);
        var actual = plain.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, shape) in expected) Assert.Equal(shape, actual[name]);
        Assert.True(plain.ParameterCount() < attention.ParameterCount());
    }

    [Fact]
    public void Different_sources_give_different_outputs_and_no_attention_is_shown()
    {
        var model = new LstmSeq2Seq(12, 9, 8, 16, 0, new Generator(2));
        model.Eval();
        var target = Tensor.FromArray<long>([SpecialTokens.BosId, 4, 5], [1, 3]);
        var a = model.Forward(Tensor.FromArray<long>([4, 5, 6], [1, 3]), [3], target);
        var b = model.Forward(Tensor.FromArray<long>([6, 5, 4], [1, 3]), [3], target);
        Assert.False(a.AllClose(b, 1e-4, 1e-5));
        var state = model.Encode(Tensor.FromArray<long>([4, 5, 6], [1, 3]), [3]);
        model.Step(state, Tensor.FromArray<long>([SpecialTokens.BosId], [1]));
        Assert.Null(state.LastAttention);
    }
}
