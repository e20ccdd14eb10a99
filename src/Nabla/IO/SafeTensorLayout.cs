namespace Nabla.IO;

/// <summary>Where one tensor lies in the data buffer, after its header entry has been validated.</summary>
/// <remarks>Begin and End are offsets from the start of the data buffer (the byte after the header); End − Begin
/// equals numel × element size and fits in one .NET array.</remarks>
internal readonly record struct SafeTensorLayout(string Name, SafeTensorDType DType, int[] Shape, long Begin, long End)
{
    public int ByteCount => checked((int)(End - Begin));
}
