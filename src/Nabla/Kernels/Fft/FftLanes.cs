using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels.Fft;

/// <summary>The complex FFT over lane vectors: <c>Width</c> independent signals transformed at once, each element of a
/// span holding one sample of every signal. Real and imaginary parts live in separate spans.</summary>
internal static class FftLanes
{
    /// <summary>In place, X[k] = Σₙ x[n]·e^{−2πikn/N} for every lane; <paramref name="work"/> holds at least
    /// <see cref="FftPlan{T}.WorkLength"/> vectors.</summary>
    public static void Forward<TL, TV, T>(FftPlan<T> plan, Span<TV> re, Span<TV> im, Span<TV> work)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = plan.Length;
        re = re[..n];
        im = im[..n];
        if (plan.Bluestein is { } chirp)
        {
            Bluestein<TL, TV, T>(chirp, re, im, work);
            return;
        }
        Span<TV> yr = work[..n], yi = work.Slice(n, n);
        bool inWork = false;
        foreach (var stage in plan.Stages)
        {
            if (inWork) Pass<TL, TV, T>(stage, yr, yi, re, im);
            else Pass<TL, TV, T>(stage, re, im, yr, yi);
            inWork = !inWork;
        }
        if (inWork)
        {
            yr.CopyTo(re);
            yi.CopyTo(im);
        }
    }

    /// <summary>In place, the unnormalized inverse x[n] = Σₖ X[k]·e^{+2πikn/N}, as conj(FFT(conj X)).</summary>
    public static void InverseUnnormalized<TL, TV, T>(FftPlan<T> plan, Span<TV> re, Span<TV> im, Span<TV> work)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        Negate<TL, TV, T>(im[..plan.Length]);
        Forward<TL, TV, T>(plan, re, im, work);
        Negate<TL, TV, T>(im[..plan.Length]);
    }

    private static void Negate<TL, TV, T>(Span<TV> v)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        var zero = TL.Splat(T.Zero);
        for (int i = 0; i < v.Length; i++) v[i] = TL.Sub(zero, v[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Multiply<TL, TV, T>(TV ar, TV ai, TV br, TV bi, out TV cr, out TV ci)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        cr = TL.MulSub(ar, br, TL.Mul(ai, bi));
        ci = TL.MulAdd(ar, bi, TL.Mul(ai, br));
    }

    private static void Pass<TL, TV, T>(FftStage<T> s, ReadOnlySpan<TV> xr, ReadOnlySpan<TV> xi, Span<TV> yr, Span<TV> yi)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (s.Radix)
        {
            case 2: Radix2<TL, TV, T>(s, xr, xi, yr, yi); break;
            case 3: Radix3<TL, TV, T>(s, xr, xi, yr, yi); break;
            case 4: Radix4<TL, TV, T>(s, xr, xi, yr, yi); break;
            case 5: Radix5<TL, TV, T>(s, xr, xi, yr, yi); break;
            default: RadixP<TL, TV, T>(s, xr, xi, yr, yi); break;
        }
    }

    // y0 = u0 + u1, y1 = u0 − u1.
    private static void Radix2<TL, TV, T>(FftStage<T> s, ReadOnlySpan<TV> xr, ReadOnlySpan<TV> xi, Span<TV> yr, Span<TV> yi)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = s.Span, r = s.Stride, step = l * r;
        for (int k = 0; k < l; k++)
        {
            TV wr = TL.Splat(s.TwiddleRe[k]), wi = TL.Splat(s.TwiddleIm[k]);
            int input = k * 2 * r, output = k * r;
            for (int a = 0; a < r; a++)
            {
                int i0 = input + a, o0 = output + a;
                Multiply<TL, TV, T>(xr[i0 + r], xi[i0 + r], wr, wi, out var u1r, out var u1i);
                TV u0r = xr[i0], u0i = xi[i0];
                yr[o0] = TL.Add(u0r, u1r);
                yi[o0] = TL.Add(u0i, u1i);
                yr[o0 + step] = TL.Sub(u0r, u1r);
                yi[o0 + step] = TL.Sub(u0i, u1i);
            }
        }
    }

    // ω₃ = −1/2 − i·√3/2: y0 = u0 + (u1 + u2), y1,2 = u0 − (u1 + u2)/2 ∓ i·(√3/2)·(u1 − u2).
    private static void Radix3<TL, TV, T>(FftStage<T> s, ReadOnlySpan<TV> xr, ReadOnlySpan<TV> xi, Span<TV> yr, Span<TV> yi)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = s.Span, r = s.Stride, step = l * r;
        TV half = TL.Splat(T.CreateTruncating(0.5)), sin = TL.Splat(T.CreateTruncating(Math.Sqrt(3) / 2));
        for (int k = 0; k < l; k++)
        {
            TV w1r = TL.Splat(s.TwiddleRe[k]), w1i = TL.Splat(s.TwiddleIm[k]);
            TV w2r = TL.Splat(s.TwiddleRe[l + k]), w2i = TL.Splat(s.TwiddleIm[l + k]);
            int input = k * 3 * r, output = k * r;
            for (int a = 0; a < r; a++)
            {
                int i0 = input + a, o0 = output + a;
                Multiply<TL, TV, T>(xr[i0 + r], xi[i0 + r], w1r, w1i, out var u1r, out var u1i);
                Multiply<TL, TV, T>(xr[i0 + 2 * r], xi[i0 + 2 * r], w2r, w2i, out var u2r, out var u2i);
                TV u0r = xr[i0], u0i = xi[i0];
                TV t1r = TL.Add(u1r, u2r), t1i = TL.Add(u1i, u2i);
                TV t2r = TL.Sub(u1r, u2r), t2i = TL.Sub(u1i, u2i);
                TV mr = TL.Sub(u0r, TL.Mul(half, t1r)), mi = TL.Sub(u0i, TL.Mul(half, t1i));
                // s = −i·(√3/2)·t2 = (√3/2)·(t2i − i·t2r)
                TV sr = TL.Mul(sin, t2i), si = TL.Mul(sin, t2r);
                yr[o0] = TL.Add(u0r, t1r);
                yi[o0] = TL.Add(u0i, t1i);
                yr[o0 + step] = TL.Add(mr, sr);
                yi[o0 + step] = TL.Sub(mi, si);
                yr[o0 + 2 * step] = TL.Sub(mr, sr);
                yi[o0 + 2 * step] = TL.Add(mi, si);
            }
        }
    }

    // ω₄ = −i: t0 = u0 + u2, t1 = u0 − u2, t2 = u1 + u3, t3 = u1 − u3; y0 = t0 + t2, y2 = t0 − t2, y1,3 = t1 ∓ i·t3.
    private static void Radix4<TL, TV, T>(FftStage<T> s, ReadOnlySpan<TV> xr, ReadOnlySpan<TV> xi, Span<TV> yr, Span<TV> yi)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = s.Span, r = s.Stride, step = l * r;
        for (int k = 0; k < l; k++)
        {
            TV w1r = TL.Splat(s.TwiddleRe[k]), w1i = TL.Splat(s.TwiddleIm[k]);
            TV w2r = TL.Splat(s.TwiddleRe[l + k]), w2i = TL.Splat(s.TwiddleIm[l + k]);
            TV w3r = TL.Splat(s.TwiddleRe[2 * l + k]), w3i = TL.Splat(s.TwiddleIm[2 * l + k]);
            int input = k * 4 * r, output = k * r;
            for (int a = 0; a < r; a++)
            {
                int i0 = input + a, o0 = output + a;
                TV u0r = xr[i0], u0i = xi[i0];
                TV u1r, u1i, u2r, u2i, u3r, u3i;
                if (k == 0)
                {
                    u1r = xr[i0 + r]; u1i = xi[i0 + r];
                    u2r = xr[i0 + 2 * r]; u2i = xi[i0 + 2 * r];
                    u3r = xr[i0 + 3 * r]; u3i = xi[i0 + 3 * r];
                }
                else
                {
                    Multiply<TL, TV, T>(xr[i0 + r], xi[i0 + r], w1r, w1i, out u1r, out u1i);
                    Multiply<TL, TV, T>(xr[i0 + 2 * r], xi[i0 + 2 * r], w2r, w2i, out u2r, out u2i);
                    Multiply<TL, TV, T>(xr[i0 + 3 * r], xi[i0 + 3 * r], w3r, w3i, out u3r, out u3i);
                }
                TV t0r = TL.Add(u0r, u2r), t0i = TL.Add(u0i, u2i);
                TV t1r = TL.Sub(u0r, u2r), t1i = TL.Sub(u0i, u2i);
                TV t2r = TL.Add(u1r, u3r), t2i = TL.Add(u1i, u3i);
                TV t3r = TL.Sub(u1r, u3r), t3i = TL.Sub(u1i, u3i);
                yr[o0] = TL.Add(t0r, t2r);
                yi[o0] = TL.Add(t0i, t2i);
                yr[o0 + 2 * step] = TL.Sub(t0r, t2r);
                yi[o0 + 2 * step] = TL.Sub(t0i, t2i);
                // −i·t3 = t3i − i·t3r
                yr[o0 + step] = TL.Add(t1r, t3i);
                yi[o0 + step] = TL.Sub(t1i, t3r);
                yr[o0 + 3 * step] = TL.Sub(t1r, t3i);
                yi[o0 + 3 * step] = TL.Add(t1i, t3r);
            }
        }
    }

    // With c_j = cos(2πj/5), s_j = sin(2πj/5): t1 = u1 + u4, t2 = u2 + u3, t3 = u1 − u4, t4 = u2 − u3;
    // y0 = u0 + t1 + t2; y1,4 = (u0 + c1·t1 + c2·t2) ∓ i·(s1·t3 + s2·t4); y2,3 = (u0 + c2·t1 + c1·t2) ∓ i·(s2·t3 − s1·t4).
    private static void Radix5<TL, TV, T>(FftStage<T> s, ReadOnlySpan<TV> xr, ReadOnlySpan<TV> xi, Span<TV> yr, Span<TV> yi)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = s.Span, r = s.Stride, step = l * r;
        TV c1 = TL.Splat(T.CreateTruncating(Math.Cos(2 * Math.PI / 5))), c2 = TL.Splat(T.CreateTruncating(Math.Cos(4 * Math.PI / 5)));
        TV s1 = TL.Splat(T.CreateTruncating(Math.Sin(2 * Math.PI / 5))), s2 = TL.Splat(T.CreateTruncating(Math.Sin(4 * Math.PI / 5)));
        for (int k = 0; k < l; k++)
        {
            int input = k * 5 * r, output = k * r;
            for (int a = 0; a < r; a++)
            {
                int i0 = input + a, o0 = output + a;
                TV u0r = xr[i0], u0i = xi[i0];
                Multiply<TL, TV, T>(xr[i0 + r], xi[i0 + r], TL.Splat(s.TwiddleRe[k]), TL.Splat(s.TwiddleIm[k]), out var u1r, out var u1i);
                Multiply<TL, TV, T>(xr[i0 + 2 * r], xi[i0 + 2 * r], TL.Splat(s.TwiddleRe[l + k]), TL.Splat(s.TwiddleIm[l + k]), out var u2r, out var u2i);
                Multiply<TL, TV, T>(xr[i0 + 3 * r], xi[i0 + 3 * r], TL.Splat(s.TwiddleRe[2 * l + k]), TL.Splat(s.TwiddleIm[2 * l + k]), out var u3r, out var u3i);
                Multiply<TL, TV, T>(xr[i0 + 4 * r], xi[i0 + 4 * r], TL.Splat(s.TwiddleRe[3 * l + k]), TL.Splat(s.TwiddleIm[3 * l + k]), out var u4r, out var u4i);
                TV t1r = TL.Add(u1r, u4r), t1i = TL.Add(u1i, u4i), t2r = TL.Add(u2r, u3r), t2i = TL.Add(u2i, u3i);
                TV t3r = TL.Sub(u1r, u4r), t3i = TL.Sub(u1i, u4i), t4r = TL.Sub(u2r, u3r), t4i = TL.Sub(u2i, u3i);
                TV a1r = TL.MulAdd(c2, t2r, TL.MulAdd(c1, t1r, u0r)), a1i = TL.MulAdd(c2, t2i, TL.MulAdd(c1, t1i, u0i));
                TV a2r = TL.MulAdd(c1, t2r, TL.MulAdd(c2, t1r, u0r)), a2i = TL.MulAdd(c1, t2i, TL.MulAdd(c2, t1i, u0i));
                // b1 = −i·(s1·t3 + s2·t4), b2 = −i·(s2·t3 − s1·t4); −i·(p + iq) = q − ip.
                TV p1r = TL.MulAdd(s2, t4r, TL.Mul(s1, t3r)), p1i = TL.MulAdd(s2, t4i, TL.Mul(s1, t3i));
                TV p2r = TL.MulSub(s2, t3r, TL.Mul(s1, t4r)), p2i = TL.MulSub(s2, t3i, TL.Mul(s1, t4i));
                yr[o0] = TL.Add(u0r, TL.Add(t1r, t2r));
                yi[o0] = TL.Add(u0i, TL.Add(t1i, t2i));
                yr[o0 + step] = TL.Add(a1r, p1i);
                yi[o0 + step] = TL.Sub(a1i, p1r);
                yr[o0 + 4 * step] = TL.Sub(a1r, p1i);
                yi[o0 + 4 * step] = TL.Add(a1i, p1r);
                yr[o0 + 2 * step] = TL.Add(a2r, p2i);
                yi[o0 + 2 * step] = TL.Sub(a2i, p2r);
                yr[o0 + 3 * step] = TL.Sub(a2r, p2i);
                yi[o0 + 3 * step] = TL.Add(a2i, p2r);
            }
        }
    }

    // A small prime p: y_c = Σ_b u_b·ω_p^{b·c}, O(p²) per butterfly.
    private static void RadixP<TL, TV, T>(FftStage<T> s, ReadOnlySpan<TV> xr, ReadOnlySpan<TV> xi, Span<TV> yr, Span<TV> yi)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = s.Radix, l = s.Span, r = s.Stride, step = l * r;
        Span<TV> ur = new TV[p], ui = new TV[p];   // p ≤ 31; one small allocation per pass
        for (int k = 0; k < l; k++)
        {
            int input = k * p * r, output = k * r;
            for (int a = 0; a < r; a++)
            {
                int i0 = input + a, o0 = output + a;
                ur[0] = xr[i0];
                ui[0] = xi[i0];
                for (int b = 1; b < p; b++)
                    Multiply<TL, TV, T>(xr[i0 + b * r], xi[i0 + b * r], TL.Splat(s.TwiddleRe[(b - 1) * l + k]), TL.Splat(s.TwiddleIm[(b - 1) * l + k]), out ur[b], out ui[b]);
                for (int c = 0; c < p; c++)
                {
                    TV sr = ur[0], si = ui[0];
                    for (int b = 1; b < p; b++)
                    {
                        int j = b * c % p;
                        TV wr = TL.Splat(s.RootRe[j]), wi = TL.Splat(s.RootIm[j]);
                        sr = TL.Add(sr, TL.MulSub(ur[b], wr, TL.Mul(ui[b], wi)));
                        si = TL.Add(si, TL.MulAdd(ur[b], wi, TL.Mul(ui[b], wr)));
                    }
                    yr[o0 + c * step] = sr;
                    yi[o0 + c * step] = si;
                }
            }
        }
    }

    private static void Bluestein<TL, TV, T>(BluesteinChirp<T> chirp, Span<TV> re, Span<TV> im, Span<TV> work)
        where TL : struct, IFftLane<TV, T> where TV : unmanaged where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = re.Length, l = chirp.Inner.Length;
        Span<TV> ar = work[..l], ai = work.Slice(l, l), inner = work[(2 * l)..];
        var zero = TL.Splat(T.Zero);
        for (int j = 0; j < n; j++)
            Multiply<TL, TV, T>(re[j], im[j], TL.Splat(chirp.ChirpRe[j]), TL.Splat(chirp.ChirpIm[j]), out ar[j], out ai[j]);
        ar[n..].Fill(zero);
        ai[n..].Fill(zero);
        Forward<TL, TV, T>(chirp.Inner, ar, ai, inner);
        for (int k = 0; k < l; k++)
            Multiply<TL, TV, T>(ar[k], ai[k], TL.Splat(chirp.KernelRe[k]), TL.Splat(chirp.KernelIm[k]), out ar[k], out ai[k]);
        InverseUnnormalized<TL, TV, T>(chirp.Inner, ar, ai, inner);
        for (int k = 0; k < n; k++)
            Multiply<TL, TV, T>(ar[k], ai[k], TL.Splat(chirp.ChirpRe[k]), TL.Splat(chirp.ChirpIm[k]), out re[k], out im[k]);
    }
}
