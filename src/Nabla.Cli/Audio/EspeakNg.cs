using System.Diagnostics;

namespace Nabla.Cli.Audio;

/// <summary>Runs Debian's espeak-ng speech synthesiser: a word in a voice (with a variant), speed and pitch, as WAV bytes.</summary>
internal static class EspeakNg
{
    /// <summary>The program's name on PATH.</summary>
    public const string Program = "espeak-ng";

    /// <summary>Whether espeak-ng can be started (it is on PATH and answers --version).</summary>
    public static bool IsAvailable()
    {
        try
        {
            var info = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("--version");
            using var process = Process.Start(info);
            if (process is null) return false;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
#pragma warning disable CA1031 // Any failure to start the program means it is not available.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>The WAV file espeak-ng writes to standard output for <paramref name="text"/>.</summary>
    /// <param name="text">What to say.</param>
    /// <param name="voice">A voice and optional variant, "en-us+f2".</param>
    /// <param name="speed">Words per minute (-s).</param>
    /// <param name="pitch">0 … 99 (-p).</param>
    /// <exception cref="InvalidOperationException">espeak-ng is missing or fails.</exception>
    public static byte[] Synthesize(string text, string voice, int speed, int pitch)
    {
        var info = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["-v", voice, "-s", $"{speed}", "-p", $"{pitch}", "--stdout", text]) info.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Program}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Program} is not installed ({e.Message}); run scripts/setup-audio.sh, or apt-get install espeak-ng", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            if (process.ExitCode != 0 || output.Length == 0)
                throw new InvalidOperationException($"{Program} -v {voice} -s {speed} -p {pitch} \"{text}\" failed with exit code {process.ExitCode}: {error.Result.Trim()}");
            return output.ToArray();
        }
    }
}
