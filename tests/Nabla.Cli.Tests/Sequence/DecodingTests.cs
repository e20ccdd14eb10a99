using Nabla.Data.Text;
using Nabla.Models.Translation;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Sequence;

/// <summary>Greedy and beam search on a model whose next-token probabilities are written out by hand.</summary>
public sealed class DecodingTests
{
    private const long A = 4, B = 5;

    /// <summary>After &lt;bos&gt;: a 0.55, b 0.45. After "a": eos 0.3, a 0.35, b 0.35. After "b": eos 0.95. Greedy takes
    /// "a" first and never recovers; the best sequence is "b" (0.45·0.95 = 0.43 against "a" 0.55·0.3 = 0.17).</summary>
    private sealed class Scripted : Seq2SeqModel
    {
        public override int TargetVocabularySize => 6;

        public override Tensor Forward(Tensor source, int[] sourceLengths, Tensor targetInput) => throw new NotSupportedException();

        public override DecoderState Encode(Tensor source, int[] sourceLengths) => new State(new List<long>[source.Shape[0]].Select(_ => new List<long>()).ToArray());

        public override Tensor Step(DecoderState state, Tensor tokens)
        {
            var s = (State)state;
            var ids = tokens.ToArray<long>();
            var logits = new float[ids.Length * 6];
            for (int r = 0; r < ids.Length; r++)
            {
                s.Prefixes[r].Add(ids[r]);
                double[] p = s.Prefixes[r].Count switch
                {
                    1 => [0, 0, 0, 0, 0.55, 0.45],
                    _ when s.Prefixes[r][1] == A => [0, 0, 0.3, 0, 0.35, 0.35],
                    _ => [0, 0, 0.95, 0, 0.025, 0.025],
                };
                for (int v = 0; v < 6; v++) logits[r * 6 + v] = (float)Math.Log(Math.Max(p[v], 1e-12));
            }
            return Tensor.FromArray<float>(logits, [ids.Length, 6]);
        }

        private sealed class State(List<long>[] prefixes) : DecoderState
        {
            public List<long>[] Prefixes { get; } = prefixes;

            public override int Rows => Prefixes.Length;

            public override DecoderState Select(Tensor indices) => new State([.. indices.ToArray<long>().Select(i => new List<long>(Prefixes[i]))]);
        }
    }

    [Fact]
    public void Greedy_TakesTheLocallyBestToken()
    {
        var output = Decoding.Greedy(new Scripted(), Tensor.Zeros([2, 3], DType.Int64), [3, 3], maxLength: 3);
        Assert.Equal([A, A, A], output[0]);
        Assert.Equal(output[0], output[1]);
    }

    [Fact]
    public void Beam_FindsTheMostProbableSequence()
    {
        var output = Decoding.Beam(new Scripted(), Tensor.Zeros([2, 3], DType.Int64), [3, 3], maxLength: 3, beamSize: 2, lengthPenalty: 0);
        Assert.Equal([B], output[0]);
        Assert.Equal([B], output[1]);
        // A beam of one is greedy search that stops at the length limit.
        Assert.Equal([A, A, A], Decoding.Beam(new Scripted(), Tensor.Zeros([1, 3], DType.Int64), [3], maxLength: 3, beamSize: 1, lengthPenalty: 0)[0]);
        Assert.Equal(SpecialTokens.EosId, 2);
    }
}
