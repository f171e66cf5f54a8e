#!/usr/bin/env python3
"""How long after an editor saves an article does `gloss serve` serve the changed page?

Usage: serve_latency.py GLOSS_BIN [SITE] [--runs N] [--front-matter]

SITE defaults to the 10k archive of gen_corpus.py:
    python3 benches/../../shared/bench/gen_corpus.py /tmp/gloss-bench/10000 10000
    cargo build --release
    python3 benches/serve_latency.py target/release/gloss /tmp/gloss-bench/10000/gloss

Each run saves one article atomically (write a temporary file, rename it over the article),
then polls the article's page over HTTP until the new text is served. The clock starts
when the rename returns. By default the edit adds a sentence to the body; with
--front-matter it changes the title, which the index lists too (a full rebuild).
Prints every run and the median. The article is restored afterwards.
"""
import argparse, http.client, os, signal, socket, statistics, subprocess, sys, tempfile, time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port, path):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read().decode("utf-8", "replace")
        c.close()
        return r.status, body
    except OSError:
        return None, ""


def save(path, text):
    tmp = path + ".tmp-save"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gloss")
    ap.add_argument("site", nargs="?", default="/tmp/gloss-bench/10000/gloss")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--front-matter", action="store_true")
    args = ap.parse_args()
    gloss = os.path.realpath(args.gloss)
    content = os.path.join(args.site, "content")
    rel = None
    for d, _, files in sorted(os.walk(content)):
        md = sorted(f for f in files if f.endswith(".md"))
        if md:
            rel = os.path.relpath(os.path.join(d, md[0]), content)
            break
    path = os.path.join(content, rel)
    url = "/" + rel[:-3].replace(os.sep, "/") + "/"
    original = open(path, encoding="utf-8").read()
    port = free_port()
    started = time.perf_counter()
    # The server's messages go to a file: a pipe nobody reads fills up and stalls it.
    log = tempfile.TemporaryFile(mode="w+")
    server = subprocess.Popen([gloss, "serve", "--port", str(port)], cwd=args.site,
                              stdout=subprocess.DEVNULL, stderr=log, text=True)
    times = []
    try:
        while fetch(port, url)[0] != 200:
            if server.poll() is not None:
                log.seek(0)
                sys.exit("gloss serve exited:\n" + log.read())
            if time.perf_counter() - started > 900:
                sys.exit("gloss serve did not answer within 15 minutes")
            time.sleep(0.05)
        print(f"initial build and start: {time.perf_counter() - started:.1f} s")
        # Let the server finish loading what quick rebuilds need.
        time.sleep(2)
        for i in range(args.runs):
            # Letters only: digits would become a figure, and the marker would be split by markup.
            n = time.time_ns()
            marker = "Latenzmessung " + "".join(chr(97 + (n // 26**k) % 26) for k in range(12))
            if args.front_matter:
                text = original.replace("title = ", f'title = "{marker}" # ', 1)
            else:
                text = original.rstrip("\n") + f"\n\n{marker}.\n"
            save(path, text)
            t0 = time.perf_counter()
            while True:
                status, body = fetch(port, url)
                if status == 200 and marker in body:
                    break
                if time.perf_counter() - t0 > 120:
                    sys.exit(f"run {i}: the change was not served within 120 s")
                time.sleep(0.001)
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            print(f"run {i + 1}: {ms:.1f} ms")
            time.sleep(0.5)
    finally:
        save(path, original)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    kind = "front matter (title)" if args.front_matter else "body"
    print(f"{kind} edit of {rel}: median {statistics.median(times):.1f} ms over {len(times)} runs "
          f"(min {min(times):.1f}, max {max(times):.1f})")


if __name__ == "__main__":
    main()
