using System.Runtime.CompilerServices;

namespace Nabla.Autograd.Ops;

/// <summary>c ? a : b without a branch, for the element-wise selects of Where and MaskedFill.</summary>
/// <remarks>Masks are often random (dropout-like, data-dependent), where a branch mispredicts half the time.
/// Blending the bits with an all-ones or all-zeros word costs one cycle whatever the mask. The size tests are
/// constants to the JIT, so each instantiation keeps only its own line.</remarks>
internal static class BitSelect
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Select<T>(bool condition, T a, T b) where T : unmanaged
    {
        if (Unsafe.SizeOf<T>() == 4)
        {
            uint m = 0u - (uint)(condition ? 1 : 0);
            uint r = (Unsafe.As<T, uint>(ref a) & m) | (Unsafe.As<T, uint>(ref b) & ~m);
            return Unsafe.As<uint, T>(ref r);
        }
        if (Unsafe.SizeOf<T>() == 8)
        {
            ulong m = 0ul - (ulong)(condition ? 1 : 0);
            ulong r = (Unsafe.As<T, ulong>(ref a) & m) | (Unsafe.As<T, ulong>(ref b) & ~m);
            return Unsafe.As<ulong, T>(ref r);
        }
        return condition ? a : b;
    }
}
