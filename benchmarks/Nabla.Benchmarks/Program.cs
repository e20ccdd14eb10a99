using TorchSharp;

// Placeholder until the runner lands: proves the TorchSharp oracle loads and computes.
var a = torch.tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
var b = torch.tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
var c = a.matmul(b).data<float>().ToArray();
Console.WriteLine($"TorchSharp on libtorch {torch.__version__}: [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[{c[0]}, {c[1]}], [{c[2]}, {c[3]}]]");
