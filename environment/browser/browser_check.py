#!/usr/bin/python3
"""Real-browser check of notebooks in Debian's classic Jupyter Notebook (6.x).

For each notebook: a temporary copy is served by `jupyter-notebook` on 127.0.0.1 (free port, random
token, no browser), and check.mjs drives the system's headless Chromium through Playwright to run
all cells and screenshot the page into OUT/<notebook>.png. The server and its kernels are stopped
afterwards, also when the check fails or is interrupted; --server-pid-file lets a calling script
stop them too should this process be killed outright. environment/browser-test.sh sets everything up
(Debian packages, `npm ci`, a private Jupyter data dir with the java-deq kernel) and runs this.
"""
import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHECK_SCRIPT = os.path.join(HERE, "check.mjs")


class BrowserCheckError(Exception):
    """The check could not run or found the page wrong; the message says which."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(base, token, path, method="GET"):
    req = urllib.request.Request(base + path, method=method, headers={"Authorization": "token " + token})
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.status


@contextlib.contextmanager
def classic_notebook_server(notebook_dir, log_path, pid_file=None, start_timeout=60):
    """Yields (base_url, token) of a classic Notebook server serving notebook_dir on loopback.

    The server leads its own process group, whose id goes to pid_file if given."""
    port, token = free_port(), secrets.token_hex(24)
    base = f"http://127.0.0.1:{port}"
    private = tempfile.mkdtemp(prefix="deqnc-jupyter-")
    # A private config and runtime dir: the user's own Notebook settings and servers stay out of it.
    env = dict(os.environ, JUPYTER_CONFIG_DIR=os.path.join(private, "config"),
               JUPYTER_RUNTIME_DIR=os.path.join(private, "runtime"))
    cmd = ["/usr/bin/python3", "-m", "notebook", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--port-retries=0", f"--NotebookApp.token={token}", f"--notebook-dir={notebook_dir}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with open(log_path, "w") as log:
        server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if pid_file:
            with open(pid_file, "w") as f:
                f.write(f"{server.pid}\n")
        deadline = time.monotonic() + start_timeout
        while True:
            if server.poll() is not None:
                raise BrowserCheckError(f"jupyter-notebook exited with status {server.returncode} "
                                        f"before serving; see {log_path}")
            try:
                if _request(base, token, "/api/status") == 200:
                    break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise BrowserCheckError(f"jupyter-notebook did not answer on {base} within {start_timeout} s; see {log_path}")
            time.sleep(0.25)
        yield base, token
    finally:
        _stop(server, base, token, env["JUPYTER_RUNTIME_DIR"])
        shutil.rmtree(private, ignore_errors=True)
        if pid_file:
            with contextlib.suppress(FileNotFoundError):
                os.remove(pid_file)


def _stop(server, base, token, runtime_dir):
    """Asks the server to shut down (it stops its kernels); escalates to signals if it does not."""
    if server.poll() is None:
        with contextlib.suppress(urllib.error.URLError, OSError):
            _request(base, token, "/api/shutdown", method="POST")
    for sig, grace in ((None, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if sig is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(grace)
            break
    # Kernels run in sessions of their own; one the server could not stop still names its
    # connection file, which lies in this server's private runtime dir.
    for pid in processes_naming(runtime_dir + os.sep):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def processes_naming(path):
    """Ids of the processes whose command line contains path (a private temp path: only our own)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{entry}/cmdline", "rb") as f:
                if path.encode() in f.read():
                    pids.append(int(entry))
    return pids


def check_notebook(notebook, out_dir, timeout=180, pid_file=None):
    """Runs the browser check on one notebook; returns check.mjs's summary line or raises BrowserCheckError."""
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        raise BrowserCheckError(f"playwright-core is not installed: run 'npm ci' in {HERE} (environment/test.sh does)")
    name = os.path.basename(notebook)
    os.makedirs(out_dir, exist_ok=True)
    screenshot = os.path.join(out_dir, name[:-len(".ipynb")] + ".png")
    with tempfile.TemporaryDirectory(prefix="deqnc-browser-") as work:
        shutil.copy(notebook, work)
        log_path = os.path.join(out_dir, name[:-len(".ipynb")] + ".server.log")
        with classic_notebook_server(work, log_path, pid_file) as (base, token):
            url = f"{base}/notebooks/{name}?token={token}"
            returncode, stdout, stderr = _run_check_script(url, screenshot, timeout)
    if returncode != 0:
        detail = (stderr.strip() or stdout.strip()).splitlines()
        raise BrowserCheckError(f"{name}: {detail[0] if detail else f'node exited with {returncode}'}"
                                f" (server log: {log_path})")
    return stdout.strip()


def _run_check_script(url, screenshot, timeout):
    """Runs check.mjs; returns (exit status, stdout, stderr).

    Stopped early (time limit, signal), node gets SIGTERM first: Playwright then closes Chromium,
    which SIGKILL would leave running."""
    node = subprocess.Popen(["node", CHECK_SCRIPT, url, screenshot, str(timeout)], cwd=HERE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = node.communicate(timeout=timeout + 60)
        return node.returncode, stdout, stderr
    except BaseException as e:
        node.terminate()
        try:
            node.wait(10)
        except subprocess.TimeoutExpired:
            node.kill()
        if isinstance(e, subprocess.TimeoutExpired):
            raise BrowserCheckError(f"check.mjs did not finish within {timeout + 60} s") from None
        raise


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "browser"))
    ap.add_argument("--timeout", type=int, default=180,
                    help="seconds for the page to load, run all cells and render (a cap: about 45 s on an idle 2-core machine)")
    ap.add_argument("--server-pid-file", help="write the Notebook server's process (group) id here while it runs")
    args = ap.parse_args()
    # SIGTERM/SIGHUP unwind like Ctrl-C, so the server is stopped on the way out.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))
    failed = 0
    for nb in args.notebooks:
        try:
            print(f"{nb}: {check_notebook(nb, args.out, args.timeout, args.server_pid_file)}", flush=True)
        except BrowserCheckError as e:
            failed += 1
            print(f"FAIL  {e}", file=sys.stderr, flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
