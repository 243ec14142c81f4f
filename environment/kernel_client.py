"""Small helpers over a jupyter_client connection to a running kernel.

Shared by the kernel protocol tests (environment/tests/) and the kernel benchmark (environment/bench/),
so that both drive the kernel the same way.
"""
import time


def run_cell(kc, code, timeout=30):
    """Executes code; returns (reply content, [(arrival time, iopub msg)]) once the kernel is idle.

    Arrival times are time.monotonic() values; status and execute_input messages are left out."""
    msg_id = kc.execute(code)
    outputs = []
    deadline = time.monotonic() + timeout
    idle = False
    while not idle:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            idle = True
        elif msg["msg_type"] not in ("status", "execute_input"):
            outputs.append((time.monotonic(), msg))
    # Skip replies to earlier requests (e.g. a late kernel_info reply on a loaded machine).
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


def shutdown(km, kc, timeout=10):
    """Sends shutdown_request on the control channel and waits for the kernel process to end.

    Returns (reply message type, True when the process ended within timeout seconds)."""
    t0 = time.monotonic()
    kc.shutdown()
    reply = kc.get_control_msg(timeout=timeout)
    while km.is_alive() and time.monotonic() - t0 < timeout:
        time.sleep(0.005)
    return reply["msg_type"], not km.is_alive()


# Long phases an interrupt must reach, each as (setup cell or None, the cell to interrupt, seconds to let it
# run first). Each long call runs in a loop that never checks the interrupt itself, so only the library's
# own checks can stop it. Shared by the protocol tests (states) and environment/bench/interrupt_latency.py
# (latencies). Training is driven separately: it is interrupted once its first checkpoint exists.
NC_SETUP = ("var rnd = new Random(1); double[][] h = new double[20000][256];"
            " for (double[] r : h) for (int j = 0; j < 256; j++) r[j] = rnd.nextGaussian();"
            " int[] y = new int[20000]; for (int i = 0; i < y.length; i++) y[i] = i % 10;"
            # the first NC report of a session loads PyTorch (seconds, native, not interruptible):
            # done here so that the interrupt lands in the statistics
            " org.deqnc.nc.NcMetrics.of(org.deqnc.nc.Features.of(h), y, 10).report();")
INTERRUPT_PHASES = {
    "problem_construction": (None, "%solve dim=2048 batch=8 solvers=picard max_iter=1", 1.5),
    "solver_iterations": (None, "%solve dim=256 batch=64 w_norm=0.9999 solvers=picard,anderson,broyden"
                                " tol=1e-300 max_iter=100000", 1.5),
    "data_loading": (None, "for (int i = 0; i < 1000; i++) org.deqnc.data.Normalization.fit("
                           "org.deqnc.data.FashionMnist.load(org.deqnc.data.Split.TRAIN));", 1.5),
    "nc_statistics": (NC_SETUP, "for (int i = 0; i < 100000; i++)"
                                " org.deqnc.nc.NcMetrics.of(org.deqnc.nc.Features.of(h), y, 10).report();", 1.5),
    "theory_solver": (None, "var problem = org.deqnc.theory.LayerPeeledProblem.builder().classes(60)"
                            ".majorityClasses(30).ratio(100).featureBudget(1).classifierBudget(1).build();\n"
                            "for (int i = 0; i < 100000; i++) org.deqnc.theory.LayerPeeledSolver.builder()"
                            ".restarts(100).seed(i).build().solve(problem);", 1.5),
}


def training_cell(out_dir):
    """A %%experiment of 200 small epochs writing to out_dir: long enough to be interrupted mid-training."""
    return ("%%experiment interrupted_training\ndataset = synthetic\nsynthetic_per_class = 256\n"
            "synthetic_test_per_class = 8\nencoder_width = 32\ndepth = 2\ndeq.hidden = 32\nbatch_size = 16\n"
            f"model = deq\nepochs = 200\nout = {out_dir}\n")


def interrupt_during(km, kc, code, after_s=1.5, started=None, timeout=120):
    """Runs code, interrupts it after_s seconds (and once started() is true, if given).

    Returns (reply content, seconds from the interrupt to the reply)."""
    msg_id = kc.execute(code)
    t0 = time.monotonic()
    while time.monotonic() - t0 < after_s or (started is not None and not started()):
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(f"the cell never reached the phase to interrupt: {code[:60]}")
        time.sleep(0.02)
    t_interrupt = time.monotonic()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], time.monotonic() - t_interrupt


def cell_threads(kc):
    """Cell worker threads alive in the kernel (1 when no interrupted cell is still computing)."""
    reply, outputs = run_cell(kc, "cellThreads()")
    values = [m["content"]["data"]["text/plain"] for _, m in outputs if m["msg_type"] == "execute_result"]
    return int(values[0]) if reply["status"] == "ok" and values else None
