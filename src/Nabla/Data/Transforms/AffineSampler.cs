namespace Nabla.Data.Transforms;

/// <summary>Warps an image by an affine map given as its inverse: output pixel (x, y) reads the input at
/// M · (x − cx, y − cy, 1) + (cx, cy), with (cx, cy) = ((W − 1)/2, (H − 1)/2) the image centre in pixel indices, as
/// torchvision's <c>affine</c> does on tensors (<c>affine_grid</c> and <c>grid_sample</c>, <c>align_corners=False</c>).
/// Reads outside the image give <c>fill</c>; bilinear weights each of the four neighbours, inside or not.</summary>
internal static class AffineSampler
{
    /// <summary>The inverse of T · C · R(angle) · Sh(shearX, shearY) · S(scale) · C⁻¹ as a 2 × 3 matrix acting on
    /// centre-relative coordinates (torchvision's <c>_get_inverse_affine_matrix</c> with the centre at the origin):
    /// angle is clockwise on screen (y down), shears in degrees, translation in pixels.</summary>
    public static double[] InverseMatrix(double angle, double translateX, double translateY, double scale, double shearX, double shearY)
    {
        double rot = angle * Math.PI / 180, sx = shearX * Math.PI / 180, sy = shearY * Math.PI / 180;
        // RSS = R · SHy · SHx without the scale: [[a, b], [c, d]], determinant 1.
        double a = Math.Cos(rot - sy) / Math.Cos(sy);
        double b = -Math.Cos(rot - sy) * Math.Tan(sx) / Math.Cos(sy) - Math.Sin(rot);
        double c = Math.Sin(rot - sy) / Math.Cos(sy);
        double d = -Math.Sin(rot - sy) * Math.Tan(sx) / Math.Cos(sy) + Math.Cos(rot);
        double[] m = [d / scale, -b / scale, 0, -c / scale, a / scale, 0];   // RSS⁻¹ / scale
        m[2] = m[0] * -translateX + m[1] * -translateY;                        // · T⁻¹
        m[5] = m[3] * -translateX + m[4] * -translateY;
        // cos 90° is 6e-17, not 0: snapping the matrix to 1e-12 keeps quarter turns and flips exact.
        for (int i = 0; i < m.Length; i++) m[i] = Math.Round(m[i], 12);
        return m;
    }

    /// <summary>Writes the warped [C, H, W] <paramref name="image"/> into <paramref name="result"/> (same shape).</summary>
    public static void Warp(ReadOnlySpan<float> image, Span<float> result, int channels, int height, int width,
        ReadOnlySpan<double> m, InterpolationMode mode, float fill)
    {
        double cx = (width - 1) * 0.5, cy = (height - 1) * 0.5;
        int plane = height * width;
        for (int y = 0; y < height; y++)
        {
            double yo = y - cy;
            double rowX = m[1] * yo + m[2] + cx, rowY = m[4] * yo + m[5] + cy;   // input position of (x = cx, y)
            for (int x = 0; x < width; x++)
            {
                double xo = x - cx;
                double sxf = m[0] * xo + rowX, syf = m[3] * xo + rowY;
                int at = y * width + x;
                if (mode == InterpolationMode.Nearest)
                {
                    double rx = Math.Round(sxf), ry = Math.Round(syf);   // ties to even
                    bool inside = rx >= 0 && rx < width && ry >= 0 && ry < height;
                    int from = inside ? (int)ry * width + (int)rx : 0;
                    for (int c = 0; c < channels; c++) result[c * plane + at] = inside ? image[c * plane + from] : fill;
                }
                else
                {
                    double fx = Math.Floor(sxf), fy = Math.Floor(syf);
                    if (fx < -1 || fx >= width || fy < -1 || fy >= height)   // all four neighbours outside
                    {
                        for (int c = 0; c < channels; c++) result[c * plane + at] = fill;
                        continue;
                    }
                    int x0 = (int)fx, y0 = (int)fy;
                    float wx = (float)(sxf - fx), wy = (float)(syf - fy);
                    float w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
                    bool left = x0 >= 0, right = x0 + 1 < width, top = y0 >= 0, bottom = y0 + 1 < height;
                    for (int c = 0; c < channels; c++)
                    {
                        var p = image.Slice(c * plane, plane);
                        float v00 = top && left ? p[y0 * width + x0] : fill;
                        float v01 = top && right ? p[y0 * width + x0 + 1] : fill;
                        float v10 = bottom && left ? p[(y0 + 1) * width + x0] : fill;
                        float v11 = bottom && right ? p[(y0 + 1) * width + x0 + 1] : fill;
                        result[c * plane + at] = w00 * v00 + w01 * v01 + w10 * v10 + w11 * v11;
                    }
                }
            }
        }
    }
}
