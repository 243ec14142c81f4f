"""A small executed-notebook tree for the claims report's tests: two notebooks with claim tables (one per
paper; one stores its claims as a JSON object, the other as a JSON string, as nbformat allows both), one
without claims, one that failed, figures as real PNG files and one provenance record.

`python3 claims_fixture.py DIR` writes it under DIR and builds DIR/report; it prints the number of claims
(the browser check's expected row count)."""
import json
import os
import struct
import sys
import zlib

MIME = "application/vnd.deqnc.claims+json"

SUN_SHI = {"title": "Claim vs our run", "paper": "Sun & Shi, NeurIPS 2024", "claims": [
    {"claim": "NC1 decreases along training <b>(Figure 3)</b>", "our_run": "final NC1 0.123 ± 0.004 (3 seeds)",
     "verdict": "supported", "figure": "20-nc1.png"},
    {"claim": "DEQ test accuracy higher (Table 1)", "our_run": "DEQ − explicit: +0.004 ± 0.003 (3 seeds)",
     "verdict": "partially", "figure": "20-accuracy.html"},
    {"claim": "Table 1 on CIFAR-10", "our_run": "quick profile", "verdict": "not tested here", "figure": None}]}
LING = {"title": "Claim vs our run", "paper": "Ling et al., ICML 2024", "claims": [
    {"claim": "Implicit-CK ≈ Ḡ", "our_run": "rel. error 0.31 ± 0.02", "verdict": "not supported", "figure": None},
    {"claim": "error -> 0 as n, p -> infinity", "our_run": "limit not reachable", "verdict": "not tested here",
     "figure": None}]}
CLAIMS = len(SUN_SHI["claims"]) + len(LING["claims"])

PROVENANCE = {
    "notebook": "20-experiment-balanced", "parameters": {"epochs": 6, "seeds": [1, 2, 3]}, "injected": {"epochs": 6},
    "profile": "quick", "seeds": [1, 2, 3], "git": {"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": True},
    "versions": {"java": "17.0.13", "djl": "0.35.1", "pytorch": "2.7.1"},
    "machine": {"cpu": "Test CPU", "cores": 2, "gpu": None}, "started": "2026-12-06T19:00:00Z", "duration_s": 83.25,
    "status": "ok", "failed_cell": None, "error": None, "outputs": ["out/figures/20-accuracy.png"]}


def png(width, height, rgb):
    """A solid-colour RGB PNG (stdlib only)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def notebook(outputs):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# a notebook"}]
    cells += [{"cell_type": "code", "execution_count": i + 1, "metadata": {}, "source": "x", "outputs": [o]}
              for i, o in enumerate(outputs)]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def claims_output(data):
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {},
            "data": {"text/plain": "Claim vs our run", MIME: data}}


def make(root):
    """Writes notebooks/, figures/ and provenance/ under root; returns {name: path}."""
    dirs = {d: os.path.join(root, d) for d in ("notebooks", "figures", "provenance", "report")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    books = {
        "20-experiment-balanced": notebook([claims_output(SUN_SHI)]),
        "30-ck-equivalence": notebook([claims_output(json.dumps(LING))]),
        "00-quickstart": notebook([{"output_type": "stream", "name": "stdout", "text": "computed 42\n"}]),
        "40-broken": notebook([{"output_type": "error", "ename": "java.lang.IllegalStateException",
                                "evalue": "boom", "traceback": []}]),
    }
    for name, nb in books.items():
        with open(os.path.join(dirs["notebooks"], name + ".ipynb"), "w", encoding="utf-8") as f:
            json.dump(nb, f)
    with open(os.path.join(dirs["notebooks"], "20-experiment-balanced.html"), "w", encoding="utf-8") as f:
        f.write("<html><body>executed notebook 20</body></html>")
    for name, colour in (("20-nc1.png", (40, 120, 200)), ("20-accuracy.png", (200, 80, 40)),
                         ("30-ck-error-vs-p.png", (60, 160, 60))):
        with open(os.path.join(dirs["figures"], name), "wb") as f:
            f.write(png(160, 100, colour))
    with open(os.path.join(dirs["figures"], "20-accuracy.html"), "w", encoding="utf-8") as f:
        f.write("<html></html>")
    with open(os.path.join(dirs["provenance"], "20-experiment-balanced.json"), "w", encoding="utf-8") as f:
        json.dump(PROVENANCE, f)
    return dirs


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import claims_report
    d = make(sys.argv[1])
    claims_report.build(d["notebooks"], d["figures"], d["provenance"], d["report"])
    print(CLAIMS)
