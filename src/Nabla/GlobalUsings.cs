// System.Numerics.Tensors also defines a Tensor type; inside the library "Tensor" always means Nabla's.
global using Tensor = Nabla.Tensors.Tensor;
