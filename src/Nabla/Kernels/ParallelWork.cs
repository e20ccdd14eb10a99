namespace Nabla.Kernels;

/// <summary>The parts of one parallel kernel call, handed out one at a time to whichever thread asks first.</summary>
/// <remarks>Lives on the caller's stack; <see cref="KernelThreads.Run"/> does not return before every thread
/// that took a part has finished it.</remarks>
internal unsafe struct ParallelWork(delegate*<void*, int, int, void> body, void* state, int parts)
{
    private readonly delegate*<void*, int, int, void> _body = body;
    private readonly void* _state = state;
    private readonly int _parts = parts;
    private int _next;

    /// <summary>Takes and runs parts until none are left.</summary>
    public void RunParts()
    {
        int part;
        while ((part = Interlocked.Increment(ref _next) - 1) < _parts) _body(_state, part, _parts);
    }
}
