namespace Nabla.Cli.Training;

/// <summary>Writes the run folder's images: through a temporary file, then renamed, so a reader never sees half a PNG.</summary>
internal static class PngFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="png"/>.</summary>
    public static void Write(string path, byte[] png)
    {
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, png);
        File.Move(temporary, path, overwrite: true);
    }
}
