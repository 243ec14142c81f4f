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
