using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Kernels.Gemm;

/// <summary>Per-thread scratch for packed GEMM panels: grown on demand, then reused, so a call allocates nothing.</summary>
/// <remarks>Arrays live on the pinned object heap, so their addresses stay fixed without a GCHandle, and are
/// collected with their thread. Pointers are 64-byte aligned and stay valid until the same buffer is requested
/// again, larger, on the same thread.</remarks>
internal static unsafe class PackBuffers
{
    private const int AlignFloats = 16;

    [ThreadStatic] private static float[]? t_packedA;
    [ThreadStatic] private static float[]? t_packedB;
    [ThreadStatic] private static double[]? t_packedDouble;

    /// <summary>Room for at least <paramref name="length"/> floats of packed A.</summary>
    public static float* PackedA(int length) => Get(ref t_packedA, length);

    /// <summary>Room for at least <paramref name="length"/> floats of packed B.</summary>
    public static float* PackedB(int length) => Get(ref t_packedB, length);

    /// <summary>Room for at least <paramref name="length"/> doubles (the float64 kernel's packed B).</summary>
    public static double* PackedDouble(int length) => Get(ref t_packedDouble, length);

    private static T* Get<T>(ref T[]? buffer, int length)
        where T : unmanaged
    {
        if (buffer is null || buffer.Length < length + AlignFloats)
        {
            // Grow by half again so a slowly increasing size settles after a few calls.
            long grown = Math.Max(length + (long)AlignFloats, (buffer?.Length ?? 0) * 3L / 2);
            buffer = GC.AllocateUninitializedArray<T>((int)Math.Min(grown, Array.MaxLength), pinned: true);
        }

        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (T*)((address + 63) & ~(nint)63);
    }
}
