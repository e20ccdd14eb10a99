// The README's quick start: a small MLP learns XOR-like data in a few hundred Adam steps.
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tensors;

Generator.ManualSeed(0);
var x = Tensor.Rand([256, 2]).Mul(2).Sub(1);                            // points in [-1, 1]²
var y = x.Select(1, 0).Mul(x.Select(1, 1)).Gt(0).To(DType.Int64);       // class 1 where the signs agree

var model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
var optimizer = new Adam(model.Parameters(), lr: 0.05);
for (int step = 0; step < 300; step++)
{
    var loss = Functional.CrossEntropy(model.Call(x), y);
    optimizer.ZeroGrad();
    loss.Backward();
    optimizer.Step();
    if (step % 100 == 0) Console.WriteLine($"step {step}: loss {loss.Item():F4}");
}
using (Tensor.NoGrad())
{
    var accuracy = model.Call(x).ArgMax(1).Eq(y).CountNonZero() / 256.0;
    Console.WriteLine($"train accuracy: {accuracy:P1}");
}
