using System.Globalization;
using Nabla.Tensors;

namespace Nabla.Models.Tasks;

/// <summary>A translation task the project generates: a date written the ways people write dates ("tuesday, march 3,
/// 1998", "3rd of Mar 1998", "03/03/1998", "3.3.98" …) translated to its ISO 8601 form "1998-03-03".</summary>
/// <remarks>
/// Dates are uniform between 1900-01-01 and 2099-12-31. The split is by date: a date whose day number (days since
/// 1900-01-01) is divisible by 10 is a test date, never seen in training in any format, so the test set measures
/// generalization to unseen dates. Every format is unambiguous: "/" is the American month/day/year order, "." and "-"
/// with a numeric month the European day.month.year, and two-digit years are 1900–1999 written as 'yy only in formats
/// that say so with an apostrophe. Sources are lower-case characters; targets the ten digits and "-".
/// </remarks>
public static class DateTranslation
{
    private static readonly DateOnly First = new(1900, 1, 1);
    private static readonly int DayCount = new DateOnly(2099, 12, 31).DayNumber - First.DayNumber + 1;

    private static readonly string[] Months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    /// <summary>The characters a source can hold.</summary>
    public const string SourceAlphabet = " ',-./0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>The characters a target can hold.</summary>
    public const string TargetAlphabet = "-0123456789";

    /// <summary>The longest source any format produces ("wednesday, september 30th, 1998" is 31).</summary>
    public const int MaxSourceLength = 40;

    /// <summary>Target length: "yyyy-mm-dd".</summary>
    public const int TargetLength = 10;

    /// <summary>The formats, each a function of the date.</summary>
    public static IReadOnlyList<Func<DateOnly, string>> Formats { get; } =
    [
        d => $"{Months[d.Month - 1]} {d.Day}, {d.Year}",
        d => $"{d.Day} {Months[d.Month - 1]} {d.Year}",
        d => $"{Months[d.Month - 1][..3]} {d.Day} {d.Year}",
        d => $"{d.Day} {Months[d.Month - 1][..3]} {d.Year}",
        d => $"{Weekdays[(int)d.DayOfWeek]}, {Months[d.Month - 1]} {d.Day}, {d.Year}",
        d => $"{Weekdays[(int)d.DayOfWeek][..3]} {d.Day} {Months[d.Month - 1][..3]} {d.Year}",
        d => $"{Ordinal(d.Day)} of {Months[d.Month - 1]} {d.Year}",
        d => $"{Months[d.Month - 1]} {Ordinal(d.Day)}, {d.Year}",
        d => $"{d.Month:00}/{d.Day:00}/{d.Year}",
        d => $"{d.Month}/{d.Day}/{d.Year}",
        d => $"{d.Day:00}.{d.Month:00}.{d.Year}",
        d => $"{d.Day}-{d.Month}-{d.Year}",
        d => $"{d.Day}-{Months[d.Month - 1][..3]}-{d.Year}",
        d => $"{d.Year} {Months[d.Month - 1]} {d.Day}",
        d => d.Year < 2000 ? $"{Months[d.Month - 1][..3]} {d.Day} '{d.Year % 100:00}" : $"{Months[d.Month - 1][..3]} {d.Day} {d.Year}",
        d => $"{d.Year}/{d.Month:00}/{d.Day:00}",
    ];

    /// <summary>One example: the source text and its ISO date.</summary>
    public sealed record Example(string Source, string Target);

    /// <summary>The ISO form of <paramref name="date"/>.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="date"/> belongs to the test split.</summary>
    public static bool IsTestDate(DateOnly date) => (date.DayNumber - First.DayNumber) % 10 == 0;

    /// <summary><paramref name="count"/> examples from the training (or test) dates, each in a random format.</summary>
    public static Example[] Sample(int count, bool test, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var examples = new Example[count];
        for (int i = 0; i < count; i++)
        {
            DateOnly date;
            do date = First.AddDays((int)generator.NextInt64(DayCount));
            while (IsTestDate(date) != test);
            var format = Formats[(int)generator.NextInt64(Formats.Count)];
            examples[i] = new Example(format(date), Iso(date));
        }
        return examples;
    }

    private static string Ordinal(int day) => day + (day % 100 is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
