namespace Nabla.IO;

/// <summary>Writes a file so that readers see either the old file or the complete new one, never a torn one.</summary>
/// <remarks>
/// Bytes go to a temporary file in the target's folder (same file system, so the final rename is atomic);
/// <see cref="Commit"/> flushes them to the disk, then renames over the target. Disposing without committing,
/// as an exception does, deletes the temporary file and leaves the target untouched.
/// </remarks>
internal sealed class AtomicFileWriter : IDisposable
{
    readonly string path;
    readonly string temporaryPath;
    bool committed;

    public FileStream Stream { get; }

    public AtomicFileWriter(string path)
    {
        this.path = Path.GetFullPath(path);
        temporaryPath = $"{this.path}.{Guid.NewGuid():N}.tmp";
        Stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
    }

    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(temporaryPath, path, overwrite: true);
        committed = true;
    }

    public void Dispose()
    {
        if (committed) return;
        Stream.Dispose();
        File.Delete(temporaryPath);
    }
}
