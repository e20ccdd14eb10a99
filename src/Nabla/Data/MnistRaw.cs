namespace Nabla.Data;

/// <summary>One split of MNIST as stored: images [Count, Rows, Cols] of bytes 0–255 and labels [Count] of class numbers
/// (the digits 0–9 for MNIST itself).</summary>
/// <param name="Images">Count × Rows × Cols pixels, row-major; 0 is background, 255 full ink.</param>
/// <param name="Count">Number of images (60000 for train, 10000 for test).</param>
/// <param name="Rows">Image height (28).</param>
/// <param name="Cols">Image width (28).</param>
/// <param name="Labels">Count class numbers, each a byte (0–9 for MNIST).</param>
public sealed record MnistRaw(byte[] Images, int Count, int Rows, int Cols, byte[] Labels);
