using System.Globalization;
using Nabla.Models.Tasks;
using Nabla.Tensors;

namespace Nabla.Cli.Tests.Sequence;

public sealed class DateTranslationTests
{
    [Fact]
    public void Formats_WriteTheSameDateInTheirOwnWays()
    {
        var date = new DateOnly(1998, 3, 3);
        var written = DateTranslation.Formats.Select(f => f(date)).ToArray();
        Assert.Contains("march 3, 1998", written);
        Assert.Contains("tuesday, march 3, 1998", written);   // 3 March 1998 was a Tuesday
        Assert.Contains("3rd of march 1998", written);
        Assert.Contains("03/03/1998", written);
        Assert.Contains("mar 3 '98", written);
        Assert.Equal("1998-03-03", DateTranslation.Iso(date));
        Assert.Equal("22nd of december 2000", DateTranslation.Formats[6](new DateOnly(2000, 12, 22)));
        Assert.Equal("11th of may 2011", DateTranslation.Formats[6](new DateOnly(2011, 5, 11)));
    }

    [Fact]
    public void Samples_StayInTheirSplit_UseTheAlphabet_AndTranslateCorrectly()
    {
        var train = DateTranslation.Sample(3000, test: false, new Generator(1));
        var test = DateTranslation.Sample(1000, test: true, new Generator(2));
        Assert.All(train, e => Assert.False(DateTranslation.IsTestDate(DateOnly.ParseExact(e.Target, "yyyy-MM-dd", CultureInfo.InvariantCulture))));
        Assert.All(test, e => Assert.True(DateTranslation.IsTestDate(DateOnly.ParseExact(e.Target, "yyyy-MM-dd", CultureInfo.InvariantCulture))));
        Assert.Empty(train.Select(e => e.Target).Intersect(test.Select(e => e.Target)));
        foreach (var e in train.Concat(test))
        {
            Assert.InRange(e.Source.Length, 1, DateTranslation.MaxSourceLength);
            Assert.All(e.Source, c => Assert.Contains(c, DateTranslation.SourceAlphabet));
            Assert.Equal(DateTranslation.TargetLength, e.Target.Length);
        }
        // Every format occurs, and the same seed gives the same examples.
        Assert.Equal(DateTranslation.Sample(50, false, new Generator(1)), train.Take(50));
        Assert.True(train.Select(e => e.Source.Contains('/', StringComparison.Ordinal)).Distinct().Count() == 2);
    }
}
