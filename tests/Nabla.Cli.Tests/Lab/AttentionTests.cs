using Nabla.Cli.Lab.Experiments.Attention;
using Nabla.Cli.Sequence.Seq2Seq;
using Nabla.IO;
using Nabla.Models.Translation;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>The attention experiment's hand computation, the library paths it is checked against, the √d study and the
/// finder of earlier seq2seq runs.</summary>
public sealed class AttentionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(123)]
    public void Hand_computation_equals_the_library_to_1e_6(long seed)
    {
        var sentence = ToySentence.Draw(ToySentence.DefaultWords, 4, new Generator(seed));
        var hand = HandAttention.Compute(sentence);
        var functional = LibraryAttention.ThroughFunctional(sentence);
        var module = LibraryAttention.ThroughModule(sentence);

        Assert.True(HandAttention.MaxDifference(hand.Q, functional.Q!) < 1e-12);
        Assert.True(HandAttention.MaxDifference(hand.Weights, functional.Weights) < 1e-12);
        Assert.True(HandAttention.MaxDifference(hand.Output, functional.Output) < 1e-12);
        Assert.True(HandAttention.MaxDifference(hand.Weights, module.Weights) < 1e-6);
        Assert.True(HandAttention.MaxDifference(hand.Output, module.Output) < 1e-6);
    }

    [Fact]
    public void Hand_steps_follow_the_formula_on_a_two_word_example()
    {
        // X = I, W_Q = W_K = W_V = I (d = 2): Q = K = V = I, S = I, S/√2, softmax rows [e^(1/√2), 1] / (e^(1/√2) + 1).
        double[,] identity = { { 1, 0 }, { 0, 1 } };
        var hand = HandAttention.Compute(new ToySentence(["a", "b"], identity, identity, identity, identity));
        double high = Math.Exp(1 / Math.Sqrt(2)) / (Math.Exp(1 / Math.Sqrt(2)) + 1);
        Assert.Equal(1 / Math.Sqrt(2), hand.Scaled[0, 0], 12);
        Assert.Equal(0, hand.Scaled[0, 1], 12);
        Assert.Equal(high, hand.Weights[0, 0], 12);
        Assert.Equal(1 - high, hand.Weights[0, 1], 12);
        Assert.Equal(high, hand.Output[1, 1], 12);   // o_b = a_ba·v_a + a_bb·v_b = (1 − high, high)
        Assert.Equal(1 - high, hand.Output[1, 0], 12);
    }

    [Fact]
    public void Toy_sentence_gives_a_repeated_word_one_embedding_of_quarters()
    {
        var sentence = ToySentence.Draw(["x", "y", "x"], 4, new Generator(1));
        for (int c = 0; c < 4; c++)
        {
            Assert.Equal(sentence.Embeddings[0, c], sentence.Embeddings[2, c]);
            Assert.Equal(0, sentence.Embeddings[1, c] * 4 % 1);
            Assert.InRange(sentence.Query[c, 0], -1, 1);
        }
    }

    [Fact]
    public void Scaling_study_measures_a_score_spread_of_root_d_and_saturation_without_the_division()
    {
        var points = ScalingStudy.Measure([4, 64, 1024], keys: 16, samples: 400, new Generator(2));
        foreach (var p in points)
        {
            Assert.InRange(p.RawStd / Math.Sqrt(p.Width), 0.9, 1.1);
            Assert.InRange(p.ScaledStd, 0.9, 1.1);
        }
        Assert.True(points[0].LargestUnscaled < points[1].LargestUnscaled && points[1].LargestUnscaled < points[2].LargestUnscaled);
        Assert.True(points[2].LargestUnscaled > 0.9);
        Assert.True(Math.Abs(points[2].LargestScaled - points[0].LargestScaled) < 0.05);
        Assert.True(points[2].GradientUnscaled < 0.1 && points[2].GradientScaled > 0.8);
    }

    [Fact]
    public void Finder_prefers_the_newest_transformer_seq2seq_checkpoint_and_loads_it()
    {
        string runs = Path.Combine(Path.GetTempPath(), "nabla-attention-runs-" + Guid.NewGuid().ToString("N"));
        try
        {
            var batches = new DateBatches();
            Assert.Null(DateTranslator.Find(runs));
            var transformer = new TransformerSeq2Seq(batches.Source.Count, batches.Target.Count, 16, 2, 1, 1, 64, 0.1, 64, new Generator(3));
            var lstm = new LstmAttentionSeq2Seq(batches.Source.Count, batches.Target.Count, 64, 8, 0.1, new Generator(4));
            Save(Path.Combine(runs, "a"), transformer, new() { ["arch"] = "seq2seq", ["kind"] = "transformer", ["hidden"] = "16", ["heads"] = "2", ["layers"] = "1" });
            Save(Path.Combine(runs, "b"), lstm, new() { ["arch"] = "seq2seq", ["kind"] = "lstm", ["hidden"] = "8", ["heads"] = "4", ["layers"] = "2" });
            Directory.CreateDirectory(Path.Combine(runs, "c"));
            File.WriteAllText(Path.Combine(runs, "c", "model.safetensors"), "not a checkpoint");

            string? found = DateTranslator.Find(runs);
            Assert.Equal(Path.Combine(runs, "a", "model.safetensors"), found);
            var (model, description) = DateTranslator.Load(found!, batches);
            Assert.IsType<TransformerSeq2Seq>(model);
            Assert.Contains("d_model 16", description, StringComparison.Ordinal);
            Assert.Equal(transformer.StateDict()["output.weight"].ToArray<float>(), model.StateDict()["output.weight"].ToArray<float>());

            var (loadedLstm, _) = DateTranslator.Load(Path.Combine(runs, "b", "model.safetensors"), batches);
            Assert.IsType<LstmAttentionSeq2Seq>(loadedLstm);
        }
        finally
        {
            if (Directory.Exists(runs)) Directory.Delete(runs, recursive: true);
        }
    }

    private static void Save(string folder, Nabla.NN.Module model, Dictionary<string, string> metadata)
    {
        Directory.CreateDirectory(folder);
        Checkpoint.Save(Path.Combine(folder, "model.safetensors"), model, metadata);
    }
}
