using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests.Lab;

/// <summary>Debian's chromium, headless: loads a page and returns its DOM after the load event.</summary>
internal static partial class HeadlessChromium
{
    private static readonly Lazy<bool> Present = new(() =>
    {
        try { return Dump("data:text/html,<p>ok</p>").Contains("<p>ok</p>", StringComparison.Ordinal); }
        catch (System.ComponentModel.Win32Exception) { return false; }
        catch (InvalidOperationException) { return false; }
    });

    /// <summary>Whether chromium can be started here.</summary>
    public static bool IsAvailable => Present.Value;

    /// <summary>The DOM of <paramref name="url"/> once loaded (scripts run; up to 10 s of virtual time).</summary>
    public static string Dump(string url)
    {
        var start = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", url })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        string dom = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(entireProcessTree: true); throw new InvalidOperationException($"chromium did not finish loading {url} in 60 s"); }
        _ = stderr.Result;
        return dom;
    }

    /// <summary>The "N loaded, M missing" mark the lab pages' script writes on body once the page has loaded.</summary>
    public static (int Loaded, int Missing) ImageMark(string dom)
    {
        var match = Mark().Match(dom);
        Assert.True(match.Success, "the page has no data-images mark: its image check did not run");
        return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("data-images=\"(\\d+) loaded, (\\d+) missing\"")]
    private static partial Regex Mark();
}

/// <summary>A fact that needs Debian's chromium: skipped, with the reason, where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Skips the test when chromium cannot be started.</summary>
    public ChromiumFactAttribute()
    {
        if (!HeadlessChromium.IsAvailable) Skip = "chromium is not installed; scripts/setup-browser.sh installs it (apt-get install -y chromium)";
    }
}
