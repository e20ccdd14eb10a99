using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels.Fft;

/// <summary>The arithmetic the FFT needs on one "lane vector" <typeparamref name="TV"/>: several independent signals
/// (frames of an STFT) transformed side by side, one per SIMD lane, so every butterfly is a handful of vector operations.</summary>
/// <remarks>A scalar <typeparamref name="T"/> is the one-lane case; the scalar path is the reference the SIMD paths are
/// tested against. Implementations are empty structs, so the JIT specializes and inlines every call.</remarks>
internal unsafe interface IFftLane<TV, T> where TV : unmanaged where T : unmanaged
{
    /// <summary>Signals per vector.</summary>
    static abstract int Width { get; }

    static abstract TV Splat(T value);

    static abstract TV Add(TV a, TV b);

    static abstract TV Sub(TV a, TV b);

    static abstract TV Mul(TV a, TV b);

    /// <summary>a·b + c.</summary>
    static abstract TV MulAdd(TV a, TV b, TV c);

    /// <summary>a·b − c.</summary>
    static abstract TV MulSub(TV a, TV b, TV c);

    static abstract TV Sqrt(TV a);

    /// <summary>Lane l ← source[l·stride]: one sample of Width frames that start stride apart.</summary>
    static abstract TV Gather(T* source, int stride);

    /// <summary>Writes the Width lanes to destination[0 … Width − 1].</summary>
    static abstract void Store(TV value, T* destination);
}

/// <summary>One signal per lane: the plain scalar loop every SIMD path is checked against.</summary>
internal readonly unsafe struct ScalarLane<T> : IFftLane<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Width => 1;

    public static T Splat(T value) => value;

    public static T Add(T a, T b) => a + b;

    public static T Sub(T a, T b) => a - b;

    public static T Mul(T a, T b) => a * b;

    public static T MulAdd(T a, T b, T c) => a * b + c;

    public static T MulSub(T a, T b, T c) => a * b - c;

    public static T Sqrt(T a) => T.Sqrt(a);

    public static T Gather(T* source, int stride) => *source;

    public static void Store(T value, T* destination) => *destination = value;
}

/// <summary>Eight float32 signals per AVX2 vector.</summary>
internal readonly unsafe struct Vector256Lane : IFftLane<Vector256<float>, float>
{
    public static int Width => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Splat(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulSub(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, -c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gather(float* source, int stride) =>
        Avx2.GatherVector256(source, Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride, 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);
}

/// <summary>Sixteen float32 signals per AVX-512 vector.</summary>
internal readonly unsafe struct Vector512Lane : IFftLane<Vector512<float>, float>
{
    public static int Width => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Splat(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulSub(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, -c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gather(float* source, int stride)
    {
        // .NET exposes no 512-bit gather: two 256-bit ones, the second starting 8 strides on.
        var index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride;
        return Vector512.Create(Avx2.GatherVector256(source, index, 4), Avx2.GatherVector256(source + 8 * stride, index, 4));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* destination) => value.Store(destination);
}
