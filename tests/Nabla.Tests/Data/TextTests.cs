using Nabla.Data.Text;

namespace Nabla.Tests.Data;

/// <summary>Vocabularies, the character vocabulary, the word tokenizer, padding and masks.</summary>
public sealed class TextTests
{
    [Fact]
    public void Vocabulary_PutsSpecialsFirst_AndOrdersByFrequency()
    {
        var vocab = Vocabulary.Build([["the", "cat", "sat"], ["the", "dog"], ["the", "cat"]], minFrequency: 1);
        Assert.Equal(["<pad>", "<bos>", "<eos>", "<unk>", "the", "cat", "sat", "dog"], vocab.Tokens);
        Assert.Equal([1L, 4, 5, 3, 2], vocab.Encode(["the", "cat", "zebra"], addBos: true, addEos: true));
        Assert.Equal(["the", "cat", "<unk>"], vocab.Decode([1, 4, 5, 3, 2, 6, 6]));
        Assert.Equal(["<bos>", "the"], vocab.Decode([1, 4], skipSpecial: false));
        var small = Vocabulary.Build([["a", "b", "b", "c", "c", "c"]], minFrequency: 2, maxSize: 5);
        Assert.Equal(["<pad>", "<bos>", "<eos>", "<unk>", "c"], small.Tokens);
    }

    [Fact]
    public void Vocabulary_RoundTripsThroughJson_AndRefusesMalformedJson()
    {
        var vocab = new Vocabulary(["x", "y"]);
        var back = Vocabulary.FromJson(vocab.ToJson());
        Assert.Equal(vocab.Tokens, back.Tokens);
        Assert.Contains("first entries", Assert.Throws<InvalidDataException>(() => Vocabulary.FromJson("[\"x\"]")).Message);
        Assert.Contains("more than once", Assert.Throws<InvalidDataException>(() => Vocabulary.FromJson("[\"<pad>\",\"<bos>\",\"<eos>\",\"<unk>\",\"a\",\"a\"]")).Message);
    }

    [Fact]
    public void CharVocabulary_EncodesAndDecodesText()
    {
        var chars = CharVocabulary.Build("hello world");
        Assert.Equal(4 + 8, chars.Count);   // specials + ' ', d, e, h, l, o, r, w
        var ids = chars.Encode("hold", addEos: true);
        Assert.Equal(SpecialTokens.EosId, ids[^1]);
        Assert.Equal("hold", chars.Decode(ids));
        Assert.Equal(SpecialTokens.UnkId, chars.Encode("z")[0]);
    }

    [Fact]
    public void WordTokenizer_SplitsWordsAndPunctuation()
    {
        var tokenizer = new WordTokenizer();
        Assert.Equal(["don't", "stop", ",", "it's", "3", "p", ".", "m", "."], tokenizer.Tokenize("Don't stop, it's 3 p.m."));
        Assert.Equal("hello, world (again)!", WordTokenizer.Detokenize(["hello", ",", "world", "(", "again", ")", "!"]));
        Assert.Equal(["Mixed", "Case"], new WordTokenizer(lowercase: false).Tokenize("Mixed Case"));
    }

    [Fact]
    public void PadBatch_AndPaddingMask_FollowPyTorchsConventions()
    {
        var (ids, lengths) = Vocabulary.PadBatch([[5, 6, 7], [8]]);
        Assert.Equal([2, 3], ids.Shape);
        Assert.Equal([5L, 6, 7, 8, 0, 0], ids.ToArray<long>());
        Assert.Equal([3, 1], lengths);
        Assert.Equal([false, false, false, false, true, true], Vocabulary.PaddingMask(lengths, 3).ToArray<bool>());
        Assert.Throws<ArgumentException>(() => Vocabulary.PadBatch([[1, 2, 3]], length: 2));
    }
}
