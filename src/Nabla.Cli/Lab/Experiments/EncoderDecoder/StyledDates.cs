using Nabla.Models.Tasks;
using Nabla.Tensors;

namespace Nabla.Cli.Lab.Experiments.EncoderDecoder;

/// <summary>Test dates as <see cref="DateTranslation.Sample"/> draws them (a uniform date of the test split, then a
/// uniform style), keeping which of the <see cref="DateTranslation.Formats"/> wrote each, so accuracy can be split by
/// style as well as by length.</summary>
internal static class StyledDates
{
    private static readonly DateOnly First = new(1900, 1, 1);
    private static readonly int DayCount = new DateOnly(2099, 12, 31).DayNumber - First.DayNumber + 1;

    /// <summary>A date every style is shown with in tables: 3 March 1998, a Tuesday.</summary>
    public static readonly DateOnly Specimen = new(1998, 3, 3);

    /// <summary><paramref name="count"/> examples from the test (or training) dates with the index of their style.</summary>
    public static (DateTranslation.Example Example, int Style)[] Sample(int count, bool test, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var examples = new (DateTranslation.Example, int)[count];
        for (int i = 0; i < count; i++)
        {
            DateOnly date;
            do date = First.AddDays((int)generator.NextInt64(DayCount));
            while (DateTranslation.IsTestDate(date) != test);
            int style = (int)generator.NextInt64(DateTranslation.Formats.Count);
            examples[i] = (new DateTranslation.Example(DateTranslation.Formats[style](date), DateTranslation.Iso(date)), style);
        }
        return examples;
    }
}
