#!/usr/bin/env python3
"""Opens report pages in headless Chromium and checks what a reader would see.

    check-report-browser.py PAGE.html EXPECTED.json [--title TITLE] [--shots DIR]

EXPECTED.json: {"tables": {"<table id>": ["first cell of each row", ...]}, "min_svgs": N}.
For each page: a probe copy gets a first script that records errors (window errors,
console.error, CSP violations, alert calls) and, once loaded, every SVG's bounding box, the
title and the first cell of each table row into a <pre id="probe">; Chromium's --dump-dom
prints the DOM, which is parsed here. Then screenshots at 1280 px and 390 px (phone) must
not be blank and must show the charts' bar colour. Exits non-zero with the reasons.
"""
import argparse, html, json, os, re, struct, subprocess, sys, tempfile, zlib

PROBE = """<script>
window.__e=[];addEventListener('error',function(e){__e.push('error: '+e.message)});
document.addEventListener('securitypolicyviolation',function(e){__e.push('csp: '+e.violatedDirective)});
var __c=console.error;console.error=function(){__e.push('console: '+Array.from(arguments).join(' '));__c.apply(console,arguments)};
window.alert=function(m){__e.push('alert: '+m)};
addEventListener('load',function(){var o={errors:__e,svgs:[],title:document.title,tables:{}};
document.querySelectorAll('svg').forEach(function(s){var r=s.getBoundingClientRect();o.svgs.push([r.width,r.height])});
document.querySelectorAll('table[id]').forEach(function(t){o.tables[t.id]=Array.from(t.tBodies[0].rows).map(function(r){return r.cells[0].textContent})});
var w=document.querySelector('table#worst th[data-sort="n"]');if(w){w.click();w.click();o.sorted=true}
var p=document.createElement('pre');p.id='probe';p.textContent=JSON.stringify(o);document.body.appendChild(p)});
</script>"""

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio",
            "--no-first-run", "--disable-extensions"]


def png_pixels(path):
    """RGB(A) rows of an 8-bit PNG, with the five PNG filters undone."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            channels = {2: 3, 6: 4}[color]
            assert depth == 8
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line)); prev = line
    return width, height, channels, rows


def check_screenshot(path, problems):
    width, height, channels, rows = png_pixels(path)
    colors, bar = set(), 0
    for row in rows[::2]:
        for x in range(0, width * channels, channels * 2):
            rgb = row[x:x + 3]
            colors.add(rgb)
            if abs(rgb[0] - 0x3B) < 12 and abs(rgb[1] - 0x6F) < 12 and abs(rgb[2] - 0xD8) < 12:
                bar += 1
    if len(colors) < 20: problems.append(f"{path}: looks blank ({len(colors)} colours)")
    if bar < 200: problems.append(f"{path}: the charts' bar colour covers only {bar} sampled pixels")
    return len(colors), bar


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("expected")
    parser.add_argument("--title")
    parser.add_argument("--shots", default=tempfile.gettempdir())
    parser.add_argument("--no-bars", action="store_true", help="the page has no bar-colour charts (a comparison)")
    args = parser.parse_args()
    expected = json.load(open(args.expected, encoding="utf-8"))
    problems = []
    page = open(args.page, encoding="utf-8").read()
    probe = args.page + ".probe.html"
    with open(probe, "w", encoding="utf-8") as f:
        f.write(page.replace("<head>", "<head>" + PROBE, 1))
    try:
        dom = subprocess.run(CHROMIUM + ["--virtual-time-budget=5000", "--dump-dom", "file://" + os.path.abspath(probe)],
                             capture_output=True, text=True, timeout=120).stdout
    finally:
        os.remove(probe)
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    if not found:
        print(f"FAIL {args.page}: the probe did not run (no <pre id=probe> in the DOM)"); sys.exit(1)
    seen = json.loads(html.unescape(found.group(1)))
    problems += [f"page error: {e}" for e in seen["errors"]]
    if len(seen["svgs"]) < expected.get("min_svgs", 1):
        problems.append(f"{len(seen['svgs'])} SVGs, expected at least {expected.get('min_svgs', 1)}")
    problems += [f"SVG {k} has an empty bounding box {box}" for k, box in enumerate(seen["svgs"]) if box[0] <= 0 or box[1] <= 0]
    if args.title is not None and seen["title"] != args.title:
        problems.append(f"title is {seen['title']!r}, expected {args.title!r} (did page text run as code?)")
    for table, rows in expected.get("tables", {}).items():
        if seen["tables"].get(table) != rows:
            problems.append(f"table {table}: rows {seen['tables'].get(table)} expected {rows}")
    base = os.path.join(args.shots, os.path.basename(args.page))
    for label, size in (("desktop", "1280,2400"), ("phone", "390,2400")):
        shot = f"{base}.{label}.png"
        subprocess.run(CHROMIUM + [f"--window-size={size}", f"--screenshot={shot}", "file://" + os.path.abspath(args.page)],
                       capture_output=True, timeout=120, check=True)
        if not args.no_bars:
            colors, bar = check_screenshot(shot, problems)
            print(f"  {label} screenshot {shot}: {colors} colours, {bar} bar-colour samples")
        else:
            colors, _ = check_screenshot(shot, [])
            if colors < 20: problems.append(f"{shot}: looks blank")
    if problems:
        print(f"FAIL {args.page}"); [print("  " + p) for p in problems]; sys.exit(1)
    print(f"ok {args.page}: {len(seen['svgs'])} SVGs, tables {sorted(seen['tables'])}, no page errors")


if __name__ == "__main__":
    main()
