using Nabla.Data.Text;
using Nabla.Models.Translation;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Sequence;

/// <summary>The encoder-decoders: step-by-step decoding gives the teacher-forced logits, and source padding changes nothing.</summary>
public sealed class Seq2SeqModelTests
{
    public static TheoryData<string> Kinds() => ["lstm", "transformer", "lstm-no-attention"];

    private static Seq2SeqModel Make(string kind) => kind switch
    {
        "lstm" => new LstmAttentionSeq2Seq(12, 9, 8, 16, 0, new Generator(1)),
        "lstm-no-attention" => new LstmSeq2Seq(12, 9, 8, 16, 0, new Generator(1)),
        _ => new TransformerSeq2Seq(12, 9, 16, 4, 2, 2, 32, 0, 32, new Generator(1)),
    };

    [Theory, MemberData(nameof(Kinds))]
    public void StepwiseDecoding_ReproducesTeacherForcedLogits(string kind)
    {
        var model = Make(kind);
        model.Eval();
        var source = Tensor.FromArray<long>([4, 5, 6, 7, 8, 9, 10, 0], [2, 4]);
        int[] lengths = [4, 3];
        var target = Tensor.FromArray<long>([SpecialTokens.BosId, 4, 5, SpecialTokens.BosId, 6, 7], [2, 3]);
        var forced = model.Forward(source, lengths, target);
        var state = model.Encode(source, lengths);
        for (int t = 0; t < 3; t++)
        {
            var logits = model.Step(state, target.Select(1, t));
            Assert.True(logits.AllClose(forced.Select(1, t), 1e-4, 1e-5), $"step {t}");
        }
    }

    [Theory, MemberData(nameof(Kinds))]
    public void SourcePadding_DoesNotChangeTheOutput(string kind)
    {
        var model = Make(kind);
        model.Eval();
        var target = Tensor.FromArray<long>([SpecialTokens.BosId, 4, 5], [1, 3]);
        var tight = model.Forward(Tensor.FromArray<long>([4, 5, 6], [1, 3]), [3], target);
        var padded = model.Forward(Tensor.FromArray<long>([4, 5, 6, 0, 0, 0], [1, 6]), [3], target);
        Assert.True(tight.AllClose(padded, 1e-4, 1e-5));
    }
}
