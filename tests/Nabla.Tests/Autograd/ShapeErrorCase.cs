namespace Nabla.Tests.Autograd;

/// <summary>Input shapes an op must refuse, and the exact message it must give.</summary>
public sealed record ShapeErrorCase(int[][] Shapes, string Message);
