using TorchSharp;
using static TorchSharp.torch.nn.functional;
using Approximate = TorchSharp.Modules.GELU.Approximate;
using T = TorchSharp.torch.Tensor;

namespace Nabla.Parity.Tests.Autograd;

/// <summary>The TorchSharp version of every case of the op table, by case name (torch.add, torch.matmul,
/// F.gelu(approximate=…), F.softplus(beta, threshold), torch.var(unbiased), …).</summary>
internal static class TorchTwins
{
    private static Func<T[], T> Unary(Func<T, T> f) => x => f(x[0]);

    private static Func<T[], T> Binary(Func<T, T, T> f) => x => f(x[0], x[1]);

    private static T Softmax(T x, long dim, bool log) => log ? x.log_softmax(dim) : x.softmax(dim);

    public static IReadOnlyDictionary<string, Func<T[], T>> ByName { get; } = Build();

    private static Dictionary<string, Func<T[], T>> Build()
    {
        var add = Binary((a, b) => a + b);
        var sub = Binary((a, b) => a - b);
        var mul = Binary((a, b) => a * b);
        var div = Binary((a, b) => a / b);
        var pow = Binary((a, b) => a.pow(b));
        var maximum = Binary(torch.maximum);
        var minimum = Binary(torch.minimum);
        var matmul = Binary((a, b) => a.matmul(b));
        Func<T[], T> lin = x => linear(x[0], x[1], x.Length > 2 ? x[2] : null);
        var d = new Dictionary<string, Func<T[], T>>
        {
            ["Add same shape"] = add,
            ["Add broadcast [3,1]+[1,4]"] = add,
            ["Add broadcast [2,3,4]+[4]"] = add,
            ["Add 0-d+[2,3]"] = add,
            ["Add 0-d+0-d"] = add,
            ["Add empty [2,0,3]+[3]"] = add,
            ["Add alpha 0.5"] = Binary((a, b) => a.add(b, 0.5)),
            ["Add scalar"] = Unary(x => x.add(1.5)),
            ["Add operator"] = add,
            ["Sub same shape"] = sub,
            ["Sub broadcast [3,1]-[1,4]"] = sub,
            ["Sub [2,3]-0-d"] = sub,
            ["Sub scalar"] = Unary(x => x.sub(0.25)),
            ["RSub scalar"] = Unary(x => torch.full_like(x, 2.5) - x),
            ["Mul same shape"] = mul,
            ["Mul broadcast [3,1]*[1,4]"] = mul,
            ["Mul broadcast [2,3,4]*[3,1]"] = mul,
            ["Mul 0-d*[2,3]"] = mul,
            ["Mul empty [0,3]*[0,3]"] = mul,
            ["Mul scalar"] = Unary(x => x.mul(-1.5)),
            ["Mul self (x·x)"] = Unary(x => x * x),
            ["Div same shape"] = div,
            ["Div broadcast [3,1]/[1,4]"] = div,
            ["Div 0-d/[2,3]"] = div,
            ["Div [2,3]/0-d"] = div,
            ["Div scalar"] = Unary(x => x.div(4)),
            ["Div scalar by tensor"] = Unary(x => torch.full_like(x, 2).div(x)),
            ["Pow tensor exponent"] = pow,
            ["Pow broadcast [3,1]^[1,4]"] = pow,
            ["Pow 0-d base ^ [2,3]"] = pow,
            ["Pow [2,3] ^ 0-d exponent"] = pow,
            ["Pow scalar 2"] = Unary(x => x.pow(2)),
            ["Pow scalar 3 (negative base)"] = Unary(x => x.pow(3)),
            ["Pow scalar 0.5"] = Unary(x => x.pow(0.5)),
            ["Pow scalar -1.5"] = Unary(x => x.pow(-1.5)),
            ["Square"] = Unary(x => x.square()),
            ["Maximum same shape"] = maximum,
            ["Maximum broadcast [3,1],[1,4]"] = maximum,
            ["Maximum 0-d,[2,3]"] = maximum,
            ["Minimum same shape"] = minimum,
            ["Minimum broadcast [3,1],[1,4]"] = minimum,

            ["Neg"] = Unary(x => x.neg()),
            ["Neg operator 0-d"] = Unary(x => -x),
            ["Exp"] = Unary(x => x.exp()),
            ["Exp 0-d"] = Unary(x => x.exp()),
            ["Exp empty [0,3]"] = Unary(x => x.exp()),
            ["Exp of transposed"] = Unary(x => x.T.exp()),
            ["Log"] = Unary(x => x.log()),
            ["Sqrt"] = Unary(x => x.sqrt()),
            ["Abs"] = Unary(x => x.abs()),
            ["Sin"] = Unary(x => x.sin()),
            ["Cos"] = Unary(x => x.cos()),
            ["Clamp min and max"] = Unary(x => x.clamp(-0.5, 0.8)),
            ["Clamp min only"] = Unary(x => x.clamp_min(0.2)),
            ["Clamp max only"] = Unary(x => x.clamp_max(-0.3)),
            ["Relu"] = Unary(x => x.relu()),
            ["Relu 0-d"] = Unary(x => x.relu()),
            ["LeakyRelu default slope"] = Unary(x => leaky_relu(x)),
            ["LeakyRelu slope 0.2"] = Unary(x => leaky_relu(x, 0.2)),
            ["LeakyRelu slope 0.2 [5, 7]"] = Unary(x => leaky_relu(x, 0.2)),
            ["Elu default alpha"] = Unary(x => elu(x, 1.0)),
            ["Elu alpha 0.5"] = Unary(x => elu(x, 0.5)),
            ["Gelu exact"] = Unary(x => gelu(x)),
            ["Gelu tanh"] = Unary(x => gelu(x, Approximate.tanh)),
            ["Gelu of sliced"] = Unary(x => gelu(x.slice(1, 0, 6, 2))),
            ["Sigmoid"] = Unary(x => x.sigmoid()),
            ["Sigmoid empty [0]"] = Unary(x => x.sigmoid()),
            ["Tanh"] = Unary(x => x.tanh()),
            ["Tanh 0-d"] = Unary(x => x.tanh()),
            ["Softplus default"] = Unary(x => softplus(x)),
            ["Softplus beta 2 threshold 1"] = Unary(x => softplus(x, 2, 1)),

            ["Sum all"] = Unary(x => x.sum()),
            ["Sum dim 0"] = Unary(x => x.sum(0L)),
            ["Sum dim 1 keepDim"] = Unary(x => x.sum(1, keepdim: true)),
            ["Sum dim -1"] = Unary(x => x.sum(-1)),
            ["Sum dims [0,2]"] = Unary(x => x.sum([0L, 2L])),
            ["Sum dims [0,2] keepDim"] = Unary(x => x.sum([0L, 2L], keepdim: true)),
            ["Sum of transposed dim 0"] = Unary(x => x.T.sum(0L)),
            ["Sum 0-d"] = Unary(x => x.sum()),
            ["Sum empty [0,3] dim 0"] = Unary(x => x.sum(0L)),
            ["Sum empty [0,3] all"] = Unary(x => x.sum()),
            ["Mean all"] = Unary(x => x.mean()),
            ["Mean dim 1"] = Unary(x => x.mean([1L])),
            ["Mean dim -1 keepDim"] = Unary(x => x.mean([-1L], keepdim: true)),
            ["Mean dims [0,1]"] = Unary(x => x.mean([0L, 1L])),
            ["Mean dims [0,1] keepDim"] = Unary(x => x.mean([0L, 1L], keepdim: true)),
            ["Max dim 1 values"] = Unary(x => x.max(1).values),
            ["Max dim 0 keepDim values"] = Unary(x => x.max(0, keepdim: true).values),
            ["Max dim -1 of 3-D values"] = Unary(x => x.max(-1).values),
            ["Max all"] = Unary(x => x.max()),
            ["Max of transposed dim 1 values"] = Unary(x => x.T.max(1).values),
            ["Min dim 1 values"] = Unary(x => x.min(1).values),
            ["Min dim 0 keepDim values"] = Unary(x => x.min(0, keepdim: true).values),
            ["Min all"] = Unary(x => x.min()),
            ["Var all"] = Unary(x => x.var()),
            ["Var dim 1"] = Unary(x => x.var(1)),
            ["Var dim 0 keepDim correction 0"] = Unary(x => x.var(0, unbiased: false, keepdim: true)),
            ["Var dims [0,2]"] = Unary(x => x.var([0L, 2L])),
            ["Std all"] = Unary(x => x.std()),
            ["Std dim 1"] = Unary(x => x.std(1)),
            ["Std dim -1 keepDim correction 0"] = Unary(x => x.std(-1, unbiased: false, keepdim: true)),
            ["LogSumExp dim 1"] = Unary(x => x.logsumexp(1)),
            ["LogSumExp dim 0 keepDim"] = Unary(x => x.logsumexp(0, keepdim: true)),
            ["LogSumExp dim -1 of 3-D"] = Unary(x => x.logsumexp(-1)),

            ["MatMul 2-D"] = matmul,
            ["MatMul batched 3-D"] = matmul,
            ["MatMul broadcast batch [2,1,3,4]·[3,4,5]"] = matmul,
            ["MatMul 3-D·2-D"] = matmul,
            ["MatMul 1-D·2-D"] = matmul,
            ["MatMul 2-D·1-D"] = matmul,
            ["MatMul 1-D·1-D"] = matmul,
            ["MatMul 1-D·3-D"] = matmul,
            ["MatMul 3-D·1-D"] = matmul,
            ["MatMul transposed left Aᵀ·B"] = Binary((a, b) => a.T.matmul(b)),
            ["MatMul transposed right A·Bᵀ"] = Binary((a, b) => a.matmul(b.T)),
            ["MatMul batched transposed"] = Binary((a, b) => a.transpose(1, 2).matmul(b.transpose(-1, -2))),
            ["MatMul sliced rows"] = Binary((a, b) => a.slice(0, 0, 6, 2).matmul(b)),
            ["MatMul empty rows [0,4]·[4,5]"] = matmul,
            ["MatMul empty inner [3,0]·[0,5]"] = matmul,
            ["MatMul empty 1-D·1-D"] = matmul,
            ["MatMul large [20,50]·[50,40]"] = matmul,
            ["MatMul large transposed Aᵀ·B"] = Binary((a, b) => a.T.matmul(b)),
            ["MatMul large broadcast batch [3,20,30]·[30,40]"] = matmul,
            ["Linear with bias"] = lin,
            ["Linear without bias"] = lin,
            ["Linear 3-D input"] = lin,
            ["Linear 1-D input"] = lin,
            ["Linear transposed input"] = x => linear(x[0].T, x[1], x[2]),
            ["Linear large"] = lin,

            ["Softmax functional dim 1"] = Unary(x => x.softmax(1)),
            ["LogSoftmax functional dim 1"] = Unary(x => x.log_softmax(1)),

            ["View [3,4]→[4,3]"] = Unary(x => x.view(4, 3)),
            ["View -1"] = Unary(x => x.view(-1)),
            ["View [2,3,4]→[6,4]"] = Unary(x => x.view(6, 4)),
            ["View of transposed adding a unit dim"] = Unary(x => x.T.view(4, 3, 1)),
            ["Reshape of transposed (copies)"] = Unary(x => x.T.reshape(12)),
            ["Reshape [4,-1] of permuted"] = Unary(x => x.permute(2, 0, 1).reshape(4, -1)),
            ["Reshape 0-d to [1,1]"] = Unary(x => x.reshape(1, 1)),
            ["Flatten all"] = Unary(x => x.flatten()),
            ["Flatten from 1"] = Unary(x => x.flatten(1)),
            ["Flatten 0..1"] = Unary(x => x.flatten(0, 1)),
            ["Flatten of transposed"] = Unary(x => x.transpose(0, 2).flatten(1)),
            ["Flatten 0-d"] = Unary(x => x.flatten()),
            ["Unflatten dim 1 → [2,2]"] = Unary(x => x.unflatten(1, [2L, 2L])),
            ["Unflatten dim -1 → [2,-1]"] = Unary(x => x.unflatten(1, [2L, -1L])),   // TorchSharp rejects a negative dim here; 1 is the last of [3, 4]
            ["Squeeze all"] = Unary(x => x.squeeze()),
            ["Squeeze dim 1"] = Unary(x => x.squeeze(1)),
            ["Squeeze dim of size 3 keeps it"] = Unary(x => x.squeeze(0)),
            ["Unsqueeze 0"] = Unary(x => x.unsqueeze(0)),
            ["Unsqueeze -1"] = Unary(x => x.unsqueeze(-1)),
            ["Unsqueeze 0-d"] = Unary(x => x.unsqueeze(0)),
            ["Transpose 0,2"] = Unary(x => x.transpose(0, 2)),
            ["Transpose -1,-2"] = Unary(x => x.transpose(-1, -2)),
            ["T"] = Unary(x => x.T),
            ["T then Mul (non-contiguous operand)"] = Binary((a, b) => a.T * b),
            ["Permute 2,0,1"] = Unary(x => x.permute(2, 0, 1)),
            ["Permute -1,0,1"] = Unary(x => x.permute(-1, 0, 1)),
            ["Expand [3,1]→[3,4]"] = Unary(x => x.expand(3, 4)),
            ["Expand [4]→[2,3,4]"] = Unary(x => x.expand(2, 3, 4)),
            ["Expand -1 keeps a size"] = Unary(x => x.expand(-1, 4)),
            ["Expand 0-d→[2,3]"] = Unary(x => x.expand(2, 3)),
            ["ExpandAs"] = Binary((a, b) => a.expand_as(b)),
            ["Expand then Mul"] = Binary((a, b) => a.expand(3, 4) * b),
            ["Narrow dim 1 from 1 length 2"] = Unary(x => x.narrow(1, 1, 2)),
            ["Narrow dim 0 from -2"] = Unary(x => x.narrow(0, -2, 2)),
            ["Slice step 2"] = Unary(x => x.slice(1, 0, 5, 2)),
            ["Slice 1..4 step 2"] = Unary(x => x.slice(1, 1, 4, 2)),
            ["Slice negative start, end clipped"] = Unary(x => x.slice(0, -2, 10, 1)),
            ["Slice of slice"] = Unary(x => x.slice(0, 1, 6, 2).slice(1, 1, 4, 2)),
            ["Slice empty range"] = Unary(x => x.slice(1, 2, 2, 1)),
            ["Select dim 0 index 1"] = Unary(x => x.select(0, 1)),
            ["Select dim 1 index -1"] = Unary(x => x.select(1, -1)),
            ["Select of 1-D gives 0-d"] = Unary(x => x.select(0, 2)),
            ["Contiguous of transposed"] = Unary(x => x.T.contiguous()),
            ["Contiguous of contiguous"] = Unary(x => x.contiguous()),
            ["Clone"] = Unary(x => x.clone()),
            ["Clone of sliced"] = Unary(x => x.slice(1, 1, 4, 2).clone()),
            ["To Float64"] = Unary(x => x.to(torch.float64)),
            ["To Float32"] = Unary(x => x.to(torch.float32)),
        };
        foreach (bool log in new[] { false, true })
        {
            string op = log ? "LogSoftmax" : "Softmax";
            d[$"{op} dim 0"] = Unary(x => Softmax(x, 0, log));
            d[$"{op} dim 1"] = Unary(x => Softmax(x, 1, log));
            d[$"{op} dim -1"] = Unary(x => Softmax(x, -1, log));
            d[$"{op} dim 1 of 3-D"] = Unary(x => Softmax(x, 1, log));
            d[$"{op} of transposed dim -1"] = Unary(x => Softmax(x.T, -1, log));
            d[$"{op} 0-d"] = Unary(x => Softmax(x, 0, log));
            d[$"{op} empty [0,3] dim 1"] = Unary(x => Softmax(x, 1, log));
        }
        d["ScaledDotProductAttention [2,3,4]·[2,5,4]·[2,5,3]"] = x => scaled_dot_product_attention(x[0], x[1], x[2]);
        d["ScaledDotProductAttention causal [2,2,4,8]"] = x => scaled_dot_product_attention(x[0], x[1], x[2], is_casual: true);
        d["ScaledDotProductAttention float mask [3,5] with grad"] = x => scaled_dot_product_attention(x[0], x[1], x[2], x[3]);
        return d;
    }
}
