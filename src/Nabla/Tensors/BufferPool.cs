using System.Numerics;

namespace Nabla.Tensors;

/// <summary>A size-class pool of arrays for tensor storage, one per element type.</summary>
/// <remarks>
/// Arrays are grouped by power-of-two length. A training loop in steady state rents the same sizes every
/// step, so after the first steps every rent is served from the pool and no large array is allocated.
/// Arrays come back when their <see cref="Storage{T}"/> is finalized (the tensor became unreachable).
/// Because tensor objects are small, the collector would otherwise run rarely and the pool would starve;
/// so when the bytes rented since the last collection exceed a budget, the pool asks for a gen-1
/// collection and waits for finalizers, which returns the previous steps' buffers.
/// </remarks>
internal static class BufferPool
{
    private const int MinBucketLog = 4;      // 16 elements
    private const int MaxBucketLog = 31;
    private const long MinBudgetBytes = 64L << 20;

    private static readonly Lock CollectLock = new();
    private static long outstandingBytes;     // rented and not yet returned
    private static long liveAfterCollect;     // outstanding right after the last forced collection
    private static long budgetBytes = MinBudgetBytes;
    private static int collections;

    /// <summary>Bytes currently rented and not yet returned.</summary>
    public static long OutstandingBytes => Interlocked.Read(ref outstandingBytes);

    /// <summary>How many collections the pool has requested.</summary>
    public static int Collections => Volatile.Read(ref collections);

    internal static int BucketOf(int length) =>
        length <= 1 << MinBucketLog ? MinBucketLog : 32 - BitOperations.LeadingZeroCount((uint)length - 1);

    internal static void OnRent(long bytes)
    {
        long now = Interlocked.Add(ref outstandingBytes, bytes);
        if (now - Volatile.Read(ref liveAfterCollect) > Volatile.Read(ref budgetBytes)) Collect();
    }

    internal static void OnReturn(long bytes) => Interlocked.Add(ref outstandingBytes, -bytes);

    /// <summary>Runs a gen-1 collection and the finalizers it queues, so unreachable tensors return their buffers.</summary>
    private static void Collect()
    {
        if (!CollectLock.TryEnter()) return;   // another thread is already collecting
        try
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref collections);
            long live = Interlocked.Read(ref outstandingBytes);
            Volatile.Write(ref liveAfterCollect, live);
            // Budget scales with the live set so big models collect proportionally less often.
            Volatile.Write(ref budgetBytes, Math.Max(MinBudgetBytes, live));
        }
        finally { CollectLock.Exit(); }
    }

    internal static int MaxBucket => MaxBucketLog;
}

/// <summary>The pooled arrays of one element type.</summary>
internal static class BufferPool<T> where T : unmanaged
{
    private static readonly Stack<T[]>?[] Buckets = new Stack<T[]>?[BufferPool.MaxBucket + 1];
    private static readonly Lock Gate = new();
    private static readonly unsafe int ElementSize = sizeof(T);

    /// <summary>An array of at least <paramref name="length"/> elements; contents are arbitrary.</summary>
    public static T[] Rent(int length)
    {
        int bucket = BufferPool.BucketOf(length);
        long bytes = (1L << bucket) * ElementSize;
        BufferPool.OnRent(bytes);
        lock (Gate)
        {
            var stack = Buckets[bucket];
            if (stack is { Count: > 0 }) return stack.Pop();
        }
        return GC.AllocateUninitializedArray<T>(1 << bucket);
    }

    /// <summary>Returns an array obtained from <see cref="Rent"/>.</summary>
    public static void Return(T[] array)
    {
        int bucket = BufferPool.BucketOf(array.Length);
        BufferPool.OnReturn((1L << bucket) * ElementSize);
        lock (Gate)
        {
            (Buckets[bucket] ??= new Stack<T[]>()).Push(array);
        }
    }
}
