// The tool sets process-wide state (the default generator's seed, the kernels' thread count), as a command line
// does; tests that run it must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
