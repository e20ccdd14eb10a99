using Nabla.Tensors;

namespace Nabla.Autograd;

/// <summary>Reverse-mode differentiation: walks the graph from an output back to the leaves in reverse
/// topological order, so each node runs once, after every consumer of its output has added its share.</summary>
internal static class Engine
{
    [ThreadStatic] private static List<Node>? order;
    [ThreadStatic] private static Stack<Node>? stack;
    [ThreadStatic] private static List<Tensor>? hookedLeaves;
    private static int passCounter;
    [ThreadStatic] private static int currentPass;

    public static void Run(Tensor root, Tensor? gradient, bool retainGraph)
    {
        if (!root.RequiresGrad)
            Throw.InvalidOperation($"Backward: the tensor of shape {ShapeUtil.Format(root.ShapeSpan)} does not require grad and has no grad_fn; set RequiresGrad on a leaf it depends on.");
        Tensor seed;
        if (gradient is null)
        {
            if (root.NumEl != 1)
                Throw.InvalidOperation($"Backward: a gradient can be created implicitly only for a one-element output; this output has shape {ShapeUtil.Format(root.ShapeSpan)}. Pass the output gradient explicitly.");
            seed = Tensor.OnesLike(root);
        }
        else
        {
            if (!ShapeUtil.SameShape(gradient.ShapeSpan, root.ShapeSpan) || gradient.DType != root.DType)
                Throw.Shape("Backward", ShapeUtil.Format(root.ShapeSpan), ShapeUtil.Format(gradient.ShapeSpan),
                    $"Backward: the gradient has shape {ShapeUtil.Format(gradient.ShapeSpan)} ({gradient.DType.TorchName()}) but the output has shape {ShapeUtil.Format(root.ShapeSpan)} ({root.DType.TorchName()}).");
            seed = gradient.Detach().Clone();
        }

        currentPass = Interlocked.Increment(ref passCounter);
        using var noGrad = GradMode.NoGrad();
        if (root.GradFn is null)
        {
            Accumulate(root, null, seed);
            FlushHookedLeaves();
            return;
        }

        var nodes = TopologicalOrder(root.GradFn);
        root.GradFn.PendingGrad = seed;
        root.GradFn.PendingOwned = true;
        // Process in an order where a node runs after all its consumers: Kahn's algorithm on consumer counts.
        var ready = stack ??= new Stack<Node>();
        ready.Clear();
        ready.Push(root.GradFn);
        try
        {
            while (ready.Count > 0)
            {
                var node = ready.Pop();
                var grad = node.PendingGrad;
                node.PendingGrad = null;
                node.PendingOwned = false;
                if (grad is not null)
                {
                    if (node.Hooks is not null)
                        foreach (var hook in node.Hooks) grad = hook(grad) ?? grad;
                    if (node.RetainedOutput is not null && node.RetainedOutput.TryGetTarget(out var output))
                        output.Grad = output.Grad is null ? grad.Clone() : output.Grad.Add(grad);
                    node.Backward(grad);
                }
                foreach (var fn in node.InputFns)
                    if (fn is not null && --fn.Dependencies == 0) ready.Push(fn);
                if (!retainGraph) node.Release();
            }
        }
        finally
        {
            foreach (var n in nodes) n.Dependencies = 0;
            nodes.Clear();
        }
        FlushHookedLeaves();
    }

    /// <summary>Runs each hooked leaf's hooks once, on its gradient summed over the whole pass, then accumulates it.</summary>
    private static void FlushHookedLeaves()
    {
        var leaves = hookedLeaves;
        if (leaves is null || leaves.Count == 0) return;
        foreach (var leaf in leaves)
        {
            var grad = leaf.PendingLeafGrad!;   // set whenever the leaf was added to the list
            leaf.PendingLeafGrad = null;
            foreach (var hook in leaf.LeafHooks!) grad = hook(grad) ?? grad;
            AccumulateIntoLeaf(leaf, grad);
        }
        leaves.Clear();
    }

    /// <summary>Collects the nodes reachable from <paramref name="root"/> and counts each node's consumers.</summary>
    private static List<Node> TopologicalOrder(Node root)
    {
        var list = order ??= new List<Node>();
        list.Clear();
        var todo = stack ??= new Stack<Node>();
        todo.Clear();
        CheckNotReleased(root);
        todo.Push(root);
        root.Dependencies = 0;
        list.Add(root);
        root.VisitPass = currentPass;
        while (todo.Count > 0)
        {
            var node = todo.Pop();
            foreach (var fn in node.InputFns)
            {
                if (fn is null) continue;
                if (fn.VisitPass != currentPass)
                {
                    fn.VisitPass = currentPass;
                    CheckNotReleased(fn);
                    fn.Dependencies = 0;
                    list.Add(fn);
                    todo.Push(fn);
                }
                fn.Dependencies++;
            }
        }
        return list;
    }

    private static void CheckNotReleased(Node node)
    {
        if (node.Released)
            Throw.InvalidOperation($"Backward: trying to backward through the graph a second time ({node.Name} was already freed). Pass retainGraph: true to the first Backward call if you need to backpropagate twice.");
    }

    /// <summary>Adds a gradient into a leaf's <see cref="Tensor.Grad"/> or into a node's pending output gradient.</summary>
    /// <remarks>A gradient tensor may be handed to several places (an addition passes its gradient to both
    /// inputs), so only tensors this pass created by summing are updated in place; a leaf's first gradient is
    /// copied if its buffer was already handed out in this pass.</remarks>
    public static void Accumulate(Tensor input, Node? fn, Tensor grad)
    {
        if (fn is null)
        {
            if (!input.RequiresGrad) return;
            if (input.LeafHooks is not null)
            {
                // Hooks see the total gradient of the pass, as in PyTorch: sum now, run them at the end.
                if (input.PendingLeafGrad is null)
                {
                    input.PendingLeafGrad = grad.Clone();
                    (hookedLeaves ??= []).Add(input);
                }
                else input.PendingLeafGrad.AddInPlaceRaw(grad);
                return;
            }
            AccumulateIntoLeaf(input, grad);
            return;
        }
        if (fn.PendingGrad is null)
        {
            fn.PendingGrad = grad;
            grad.Storage.GradPassMark = currentPass;
        }
        else if (fn.PendingOwned)
        {
            fn.PendingGrad.AddInPlaceRaw(grad);
        }
        else
        {
            fn.PendingGrad = fn.PendingGrad.Add(grad);
            fn.PendingOwned = true;
        }
    }

    private static void AccumulateIntoLeaf(Tensor input, Tensor grad)
    {
        if (input.Grad is null)
        {
            bool shared = grad.Storage.GradPassMark == currentPass || !grad.IsContiguous || grad.SharesStorageWith(input);
            var g = shared ? grad.Clone() : grad;
            g.Storage.GradPassMark = currentPass;
            input.Grad = g;
        }
        else
        {
            input.Grad.AddInPlaceRaw(grad);
        }
    }
}
