using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Nabla.Kernels;

/// <summary>A long-lived background thread that helps one caller at a time through a <see cref="ParallelWork"/>.</summary>
/// <remarks>
/// Hand-off is a volatile state word: each side spins briefly (kernel calls often follow each other within
/// microseconds) and then sleeps on a monitor, so an idle worker costs no CPU. A posted job the worker has not yet
/// begun can be withdrawn by the caller: on a host whose second core is briefly taken away, the caller then does
/// all parts itself instead of waiting for a thread that is not running.
/// </remarks>
internal sealed unsafe class KernelWorker
{
    private const int Idle = 0, Posted = 1, Running = 2, Finished = 3, Withdrawn = 4;

    // Spin budgets in Stopwatch ticks: an idle worker watches for a follow-up job for ~50 µs before sleeping;
    // a caller waits ~200 µs for the worker to finish its part before sleeping.
    private static readonly long s_workerSpinTicks = Stopwatch.Frequency / 20_000;
    private static readonly long s_callerSpinTicks = Stopwatch.Frequency / 5_000;

    private readonly object _gate = new();  // a monitor: Monitor.Wait needs one
    private int _state;
    private int _claimed;
    private ParallelWork* _work;
    private ExceptionDispatchInfo? _error;

    public KernelWorker(int index)
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = $"Nabla kernel worker {index}" };
        thread.Start();
    }

    /// <summary>Reserves the worker for the calling thread; false if another caller holds it.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;

    /// <summary>Lets the worker join <paramref name="work"/>. The caller must hold the claim.</summary>
    public void Post(ParallelWork* work)
    {
        _work = work;
        Volatile.Write(ref _state, Posted);
        lock (_gate) Monitor.PulseAll(_gate);
    }

    /// <summary>
    /// Withdraws the job if the worker has not begun it, else waits until it is done; then rethrows what the
    /// worker's parts threw. After this the worker no longer touches the job.
    /// </summary>
    public void Finish()
    {
        if (Interlocked.CompareExchange(ref _state, Withdrawn, Posted) == Posted) return;  // the worker releases the claim
        WaitWhile(1 << Running, s_callerSpinTicks);
        ExceptionDispatchInfo? error = _error;
        _error = null;
        Volatile.Write(ref _state, Idle);
        Volatile.Write(ref _claimed, 0);
        error?.Throw();
    }

    private void Loop()
    {
        while (true)
        {
            // Finished counts as idle until the caller has collected the result and released the claim.
            WaitWhile(1 << Idle | 1 << Finished, s_workerSpinTicks);
            if (Interlocked.CompareExchange(ref _state, Running, Posted) != Posted)
            {
                // Withdrawn before we began: the caller has finished without us.
                Volatile.Write(ref _state, Idle);
                Volatile.Write(ref _claimed, 0);
                continue;
            }

            try
            {
                _work->RunParts();
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }

            Volatile.Write(ref _state, Finished);
            lock (_gate) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Spins, then sleeps, while the state is one of the bits of <paramref name="states"/>.</summary>
    private void WaitWhile(int states, long spinTicks)
    {
        long deadline = Stopwatch.GetTimestamp() + spinTicks;
        while ((states >> Volatile.Read(ref _state) & 1) != 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                lock (_gate)
                {
                    while ((states >> Volatile.Read(ref _state) & 1) != 0) Monitor.Wait(_gate);
                }

                return;
            }

            Thread.SpinWait(20);
        }
    }
}
