using Nabla.Cli.Lab.Experiments.EncoderDecoder;
using Nabla.Models.Tasks;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Lab;

/// <summary>encoder-decoder's length buckets and its styled test dates.</summary>
public sealed class EncoderDecoderTests
{
    private static readonly LengthBuckets Buckets = new([0, 11, 15, 20]);

    [Theory]
    [InlineData(8, 0), InlineData(10, 0), InlineData(11, 1), InlineData(14, 1), InlineData(15, 2), InlineData(19, 2), InlineData(20, 3), InlineData(29, 3)]
    public void A_length_falls_in_the_bucket_of_the_largest_bound_not_above_it(int length, int bucket) => Assert.Equal(bucket, Buckets.Of(length));

    [Fact]
    public void Tally_counts_examples_and_correct_ones_per_bucket()
    {
        int[] lengths = [8, 10, 12, 16, 16, 25];
        bool[] correct = [true, false, true, false, true, true];
        var tally = Buckets.Tally(lengths, correct);
        Assert.Equal((2, 1, 9.0), tally[0]);
        Assert.Equal((1, 1, 12.0), tally[1]);
        Assert.Equal((2, 1, 16.0), tally[2]);
        Assert.Equal((1, 1, 25.0), tally[3]);
        Assert.Equal(["8–10", "12", "16", "25"], Buckets.Labels(lengths));
        Assert.Throws<ArgumentException>(() => Buckets.Tally(lengths, correct[1..]));
    }

    [Fact]
    public void Styled_dates_are_test_dates_written_in_their_style()
    {
        var examples = StyledDates.Sample(2000, test: true, new Generator(5));
        Assert.Equal(DateTranslation.Formats.Count, examples.Select(e => e.Style).Distinct().Count());
        foreach (var (example, style) in examples)
        {
            var date = DateOnly.ParseExact(example.Target, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(DateTranslation.IsTestDate(date), example.Target);
            Assert.Equal(DateTranslation.Formats[style](date), example.Source);
        }
        Assert.All(StyledDates.Sample(200, test: false, new Generator(6)), e =>
            Assert.False(DateTranslation.IsTestDate(DateOnly.ParseExact(e.Example.Target, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
    }
}
