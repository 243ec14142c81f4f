#!/usr/bin/python3
"""Builds the claims report, out/report/index.html, from the executed notebooks.

Every notebook's closing "Claim vs our run" table is displayed by the kernel with a machine-readable copy
(MIME type application/vnd.deqnc.claims+json, written by org.deqnc.report.Claims); this script reads those
copies from the executed .ipynb files (no HTML scraping) and lists every claim of both papers with our
result, the verdict, a thumbnail of the figure that shows it (linking to the notebook's HTML copy) and the
run's provenance (out/provenance/<notebook>.json, when the regeneration tool recorded one). It also writes
out/report/claims.json with the same rows. Python standard library only.

usage: claims_report.py [--notebooks DIR] [--figures DIR] [--provenance DIR] [--out DIR]
"""
import argparse
import glob
import html
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLAIMS_MIME = "application/vnd.deqnc.claims+json"
VERDICTS = ("supported", "partially", "not supported", "not tested here")
# Static formats a browser shows as a thumbnail, best first; a figure named with another extension (.html)
# is shown through a sibling file of the same stem in one of these.
THUMBNAIL_FORMATS = (".png", ".svg")


def claims_of(notebook):
    """The claim tables a notebook displayed: a list of {"paper", "claims": [...]} in display order."""
    tables = []
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {}).get(CLAIMS_MIME)
            if data is None:
                continue
            tables.append(json.loads(data) if isinstance(data, str) else data)
    return tables


def failed_cells(notebook):
    """(index among code cells, "ename: evalue") of each cell that ended with an error output."""
    failed = []
    code = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    for i, cell in enumerate(code):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                failed.append((i, f"{output.get('ename', '')}: {output.get('evalue', '')}"))
    return failed


def thumbnail(figure, stem, figures_dir, provenance):
    """The static file to show for a claim: its own figure, else the first figure the notebook saved (the
    provenance's outputs when recorded, else the figures named with the notebook's number); None if none."""
    candidates = []
    if figure:
        base, _ = os.path.splitext(figure)
        candidates += [figure] + [base + ext for ext in THUMBNAIL_FORMATS]
    else:
        recorded = [os.path.basename(o) for o in (provenance or {}).get("outputs") or []]
        number = stem.split("-", 1)[0]
        named = sorted(os.path.basename(p) for p in glob.glob(os.path.join(figures_dir, number + "-*")))
        candidates += recorded + named
    for name in candidates:
        if name.endswith(THUMBNAIL_FORMATS) and os.path.isfile(os.path.join(figures_dir, name)):
            return name
    return None


def collect(notebooks_dir, figures_dir, provenance_dir):
    """One entry per executed notebook: its claims (with thumbnails), provenance and failures."""
    entries = []
    for path in sorted(glob.glob(os.path.join(notebooks_dir, "*.ipynb"))):
        stem = os.path.basename(path)[:-len(".ipynb")]
        with open(path, encoding="utf-8") as f:
            notebook = json.load(f)
        provenance = None
        provenance_path = os.path.join(provenance_dir, stem + ".json")
        if os.path.isfile(provenance_path):
            with open(provenance_path, encoding="utf-8") as f:
                provenance = json.load(f)
        html_copy = os.path.join(notebooks_dir, stem + ".html")
        rows = []
        for table in claims_of(notebook):
            for claim in table.get("claims", []):
                verdict = claim.get("verdict", "")
                if verdict not in VERDICTS:
                    raise SystemExit(f"{path}: claim {claim.get('claim', '')!r}: unknown verdict {verdict!r} "
                                     f"(accepted: {', '.join(VERDICTS)})")
                rows.append({"notebook": stem, "paper": table.get("paper", ""), "claim": claim.get("claim", ""),
                             "our_run": claim.get("our_run", ""), "verdict": verdict,
                             "figure": claim.get("figure"),
                             "thumbnail": thumbnail(claim.get("figure"), stem, figures_dir, provenance)})
        for row in rows:
            row["thumbnail_path"] = row["thumbnail"] and os.path.join(figures_dir, row["thumbnail"])
        entries.append({"notebook": stem, "path": path,
                        "link": html_copy if os.path.isfile(html_copy) else path,
                        "claims": rows, "provenance": provenance, "failed": failed_cells(notebook)})
    return entries


def _e(value):
    return html.escape(str(value), quote=True)


def _href(target, out_dir):
    return _e(os.path.relpath(target, out_dir).replace(os.sep, "/"))


def provenance_html(entry):
    p = entry["provenance"]
    if p is None:
        return "<p class=\"no-provenance\">no provenance recorded</p>"
    git = p.get("git") or {}
    versions = p.get("versions") or {}
    machine = p.get("machine") or {}
    items = [
        ("status", p.get("status", "")),
        ("profile", p.get("profile", "")),
        ("parameters", json.dumps(p.get("parameters") or {}, ensure_ascii=False, sort_keys=True)),
        ("injected", json.dumps(p.get("injected") or {}, ensure_ascii=False, sort_keys=True)),
        ("seeds", "not recorded" if p.get("seeds") is None else ", ".join(map(str, p["seeds"]))),
        ("git", f"{git.get('commit', '?')}{' (dirty tree)' if git.get('dirty') else ''}"),
        ("versions", ", ".join(f"{k} {v}" for k, v in versions.items())),
        ("machine", ", ".join(f"{k} {v}" for k, v in machine.items() if v not in (None, ""))),
        ("started", p.get("started", "")),
        ("duration", f"{p['duration_s']:.1f} s" if isinstance(p.get("duration_s"), (int, float)) else ""),
    ]
    if p.get("status") == "failed":
        items.append(("failed cell", f"{p.get('failed_cell', '?')}: {p.get('error', '')}"))
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in items)
    return f"<table class=\"provenance\">{rows}</table>"


STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
table.claims { border-collapse: collapse; width: 100%; }
table.claims th, table.claims td { border: 1px solid #ccc; padding: .35em .5em; vertical-align: top; text-align: left; }
table.claims th { background: #f0f0f0; }
td.verdict { font-weight: bold; white-space: nowrap; }
tr[data-verdict="supported"] td.verdict { background: #d9f2d9; }
tr[data-verdict="partially"] td.verdict { background: #fff2cc; }
tr[data-verdict="not supported"] td.verdict { background: #f8d0d0; }
tr[data-verdict="not tested here"] td.verdict { background: #e6e6e6; }
img.thumb { max-width: 180px; max-height: 120px; border: 1px solid #ddd; }
table.provenance th { text-align: left; padding-right: 1em; font-weight: normal; color: #555; }
table.provenance td { font-family: monospace; font-size: 90%; }
.summary td, .summary th { padding: .2em .8em; text-align: left; }
.failed { color: #b00; }
"""


def render(entries, out_dir):
    """The report page (a string): summary, one table row per claim grouped by paper, then provenance."""
    claims = [c for e in entries for c in e["claims"]]
    papers = list(dict.fromkeys(c["paper"] for c in claims))  # in notebook order
    by_name = {e["notebook"]: e for e in entries}
    parts = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Claims report</title>",
             f"<style>{STYLE}</style></head><body>",
             "<h1>Claims report: the papers' claims against our runs</h1>",
             f"<p>{len(claims)} claims from {sum(1 for e in entries if e['claims'])} executed notebooks. Our result is "
             "the notebook's own text (numbers with their spread over seeds where it has several); the verdict is "
             "the notebook's. Each thumbnail links to the executed notebook.</p>",
             "<table class=\"summary\"><tr><th>paper</th>"
             + "".join(f"<th>{_e(v)}</th>" for v in VERDICTS) + "</tr>"]
    for paper in papers:
        counts = [sum(1 for c in claims if c["paper"] == paper and c["verdict"] == v) for v in VERDICTS]
        parts.append(f"<tr><td>{_e(paper)}</td>" + "".join(f"<td>{n}</td>" for n in counts) + "</tr>")
    parts.append("</table>")
    failed = [e for e in entries if e["failed"] or (e["provenance"] or {}).get("status") == "failed"]
    if failed:
        parts.append("<p class=\"failed\">Failed notebooks (their claims may be missing): "
                     + ", ".join(_e(e["notebook"]) for e in failed) + "</p>")
    silent = [e["notebook"] for e in entries if not e["claims"] and e not in failed]
    if silent:
        parts.append("<p>Notebooks without a claim table: " + ", ".join(map(_e, silent)) + "</p>")
    for paper in papers:
        parts.append(f"<h2>{_e(paper)}</h2><table class=\"claims\"><thead><tr><th>notebook</th><th>claim</th>"
                     "<th>our run</th><th>verdict</th><th>figure</th><th>provenance</th></tr></thead><tbody>")
        for c in (c for c in claims if c["paper"] == paper):
            entry = by_name[c["notebook"]]
            link = _href(entry["link"], out_dir)
            figure = "&mdash;"
            if c["thumbnail"]:
                src = _href(c["thumbnail_path"], out_dir)
                figure = (f"<a href=\"{link}\"><img class=\"thumb\" src=\"{src}\" "
                          f"alt=\"{_e(c['thumbnail'])}\" title=\"{_e(c['thumbnail'])}\"></a>")
            status = (entry["provenance"] or {}).get("status", "not recorded")
            parts.append(f"<tr class=\"claim\" data-verdict=\"{_e(c['verdict'])}\"><td><a href=\"{link}\">"
                         f"{_e(c['notebook'])}</a></td><td>{_e(c['claim'])}</td><td>{_e(c['our_run'])}</td>"
                         f"<td class=\"verdict\">{_e(c['verdict'])}</td><td>{figure}</td>"
                         f"<td><a href=\"#prov-{_e(c['notebook'])}\">{_e(status)}</a></td></tr>")
        parts.append("</tbody></table>")
    parts.append("<h2>Provenance</h2>")
    for e in entries:
        parts.append(f"<h3 id=\"prov-{_e(e['notebook'])}\"><a href=\"{_href(e['link'], out_dir)}\">"
                     f"{_e(e['notebook'])}</a></h3>" + provenance_html(e))
        for index, error in e["failed"]:
            parts.append(f"<p class=\"failed\">code cell {index}: {_e(error)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def build(notebooks_dir, figures_dir, provenance_dir, out_dir):
    """Writes index.html and claims.json into out_dir; returns the number of claims."""
    entries = collect(notebooks_dir, figures_dir, provenance_dir)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "index.html"), "w", encoding="utf-8") as f:
        f.write(render(entries, out_dir))
    claims = [{k: v for k, v in c.items() if k != "thumbnail_path"} for e in entries for c in e["claims"]]
    with open(os.path.join(out_dir, "claims.json"), "w", encoding="utf-8") as f:
        json.dump(claims, f, indent=1, ensure_ascii=False)
    return len(claims)


def main():
    out = os.path.join(ROOT, "out")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notebooks", default=os.path.join(out, "notebooks"), help="executed notebooks (and HTML copies)")
    ap.add_argument("--figures", default=os.path.join(out, "figures"))
    ap.add_argument("--provenance", default=os.path.join(out, "provenance"))
    ap.add_argument("--out", default=os.path.join(out, "report"))
    args = ap.parse_args()
    if not os.path.isdir(args.notebooks):
        sys.exit(f"--notebooks: no folder {args.notebooks} (accepted: a folder of executed .ipynb files)")
    n = build(args.notebooks, args.figures, args.provenance, args.out)
    print(f"claims report: {n} claims -> {os.path.join(args.out, 'index.html')}")


if __name__ == "__main__":
    main()
