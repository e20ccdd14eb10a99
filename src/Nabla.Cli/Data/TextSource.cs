namespace Nabla.Cli.Data;

/// <summary>The default corpus of the character-level language model: the King James Bible, written by
/// scripts/fetch-text.sh into the data cache.</summary>
internal static class TextSource
{
    private const string ScriptPath = "scripts/fetch-text.sh";

    /// <summary>$NABLA_DATA/text/kjv.txt, or ~/.cache/nabla/text/kjv.txt.</summary>
    public static string DefaultFile
    {
        get
        {
            string? data = Environment.GetEnvironmentVariable("NABLA_DATA");
            string root = !string.IsNullOrEmpty(data) ? data
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "nabla");
            return Path.Combine(root, "text", "kjv.txt");
        }
    }

    /// <summary>Makes sure <paramref name="path"/> exists, running the fetch script for the default corpus when it does not.</summary>
    public static void Ensure(string path, bool isDefault, TextWriter log)
    {
        if (File.Exists(path)) return;
        if (!isDefault) throw new FileNotFoundException($"text file {path} does not exist", path);
        string script = RepositoryScript.Find(ScriptPath)
            ?? throw new InvalidOperationException($"the default text {path} is missing and {ScriptPath} was not found; set NABLA_REPO to the Nabla repository root, or pass --text FILE");
        log.WriteLine($"the King James Bible is not in {path}; writing it with {script}");
        RepositoryScript.Run(script, [path], log, "fetching the text");
        if (!File.Exists(path)) throw new InvalidOperationException($"{script} finished but {path} does not exist");
    }
}
