#!/usr/bin/env python3
"""Side-by-side ingest benchmark: `bin/synergen ingest` against img2dataset on the same input.

A loopback HTTP server (127.0.0.1 only) serves the bundled photos (data/sample/images) under N
distinct URLs; both tools read the same N-row Parquet metadata with the same settings (resize 256
in border mode, JPEG quality 95, 250 rows a shard, 16 fetch threads, 2 cores, dedup off in ours:
img2dataset has none) and run alternately, ROUNDS times each. Every run must write N successes,
and our sha256 column must equal img2dataset's for every URL. Per run the table gives wall
seconds, images/s, total CPU seconds (user + system of the tool and all its processes) and peak
RSS (the sum over the tool's process tree, sampled every 20 ms; see Sampler for the JVM's
momentary vfork children), and our wall-time ratio; below it, per N, each tool's median CPU and
ours against theirs on the sums of CPU and of wall over all rounds (one round's ratio moves by
10% with the machine's speed). It also prints the one-thread CPU cost per image of our image
path (decode + resize + encode + hashes; org.synergen.ingest.bench.ImageCost).
When our launcher's class archive is missing or older than the jar, one untimed 500-row run of
ours builds it first (what any first run does).

Build first (mvn -B -DskipTests package), then from the repository root:
  bench/ingest-vs-img2dataset --install            # N = 2000 and 20000
  bench/ingest-vs-img2dataset --sizes 2000 --rounds 1
--install creates .venv/img2dataset (pip install img2dataset==1.47.0) when it is missing; the
script then re-runs itself with that virtualenv's Python (it needs pyarrow to check the outputs).
"""
import argparse
import asyncio
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV = os.path.join(ROOT, ".venv", "img2dataset")
IMG2DATASET_VERSION = "1.47.0"
SIZE, QUALITY, PER_SHARD, THREADS, CORES = 256, 95, 250, 16, 2


def ensure_venv(install):
    py = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        return
    if not os.path.exists(os.path.join(VENV, "bin", "img2dataset")):
        if not install:
            sys.exit(f"img2dataset is not installed in {VENV}; rerun with --install")
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([py, "-m", "pip", "install", "-q", f"img2dataset=={IMG2DATASET_VERSION}"])
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


class Server:
    """HTTP/1.1 with keep-alive on 127.0.0.1: GET /img/<i>.jpg answers photo i mod count."""

    def __init__(self, images):
        self.responses = [b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n"
                          % len(b) + b for b in images]
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        srv = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=512))
        self.port = srv.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _serve(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                i = int(path.rsplit("/", 1)[1].split(".")[0])
                writer.write(self.responses[i % len(self.responses)])
                await writer.drain()
                if b"connection: close" in head.lower():
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


class Sampler(threading.Thread):
    """Peak of the summed RSS over a process and all its descendants, sampled every 20 ms.

    A descendant counts from its second sample on: a JVM starts a program (Hadoop's and Spark's
    setsid, getconf, rm -rf) through a vfork'd child that shares the JVM's memory until it execs,
    and /proc reports the JVM's whole RSS for it; counted, one such instant doubled the peak.
    img2dataset's worker processes live for the whole run and always count.
    """

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def tree(self):
        todo, seen = [self.pid], []
        while todo:
            p = todo.pop()
            seen.append(p)
            for t in glob.glob(f"/proc/{p}/task/*/children"):
                try:
                    todo += [int(c) for c in open(t).read().split()]
                except OSError:
                    pass
        return seen

    def run(self):
        before = set()
        while not self.stop.is_set():
            now = set(self.tree())
            total = 0
            for p in now:
                if p != self.pid and p not in before:
                    continue
                try:
                    for line in open(f"/proc/{p}/status"):
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1]) * 1024
                except OSError:
                    pass
            self.peak = max(self.peak, total)
            before = now
            time.sleep(0.02)


def timed(cmd, log, env=None):
    """Runs cmd; returns (wall s, CPU s of it and its reaped children, peak tree RSS bytes)."""
    t0 = time.time()
    with open(log, "w") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        s = Sampler(p.pid)
        s.start()
        _, status, ru = os.wait4(p.pid, 0)
    wall = time.time() - t0
    s.stop.set()
    s.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed (exit {p.returncode}); see {log}")
    return wall, ru.ru_utime + ru.ru_stime, s.peak


def sha_by_url(folder, column="sha256"):
    import pyarrow.parquet as pq
    out = {}
    for f in sorted(glob.glob(os.path.join(folder, "*.parquet"))):
        t = pq.read_table(f, columns=["url", "status", column]).to_pydict()
        for u, st, h in zip(t["url"], t["status"], t[column]):
            if st == "success":
                out[u] = h
    return out


def run_ours(meta, out, log, synergen):
    cmd = [synergen, "ingest", "--input", meta, "--output", out, "--allow-private",
           f"ingest.spark.master=\"local[{CORES}]\"", f"ingest.image.size={SIZE}",
           "ingest.image.resize-mode=border", f"ingest.image.jpeg-quality={QUALITY}",
           f"ingest.output.samples-per-shard={PER_SHARD}", f"ingest.fetch.threads={THREADS}",
           "ingest.dedup.exact=false", "ingest.dedup.near=false"]
    r = timed(cmd, log)
    return r, json.load(open(os.path.join(out, "_summary.json")))["successes"]


def run_img2dataset(meta, out, log):
    cmd = [os.path.join(VENV, "bin", "img2dataset"), "--url_list", meta, "--input_format", "parquet",
           "--url_col", "url", "--caption_col", "caption", "--output_format", "parquet",
           "--output_folder", out, "--processes_count", str(CORES), "--thread_count", str(THREADS),
           "--image_size", str(SIZE), "--resize_mode", "border", "--encode_quality", str(QUALITY),
           "--number_sample_per_shard", str(PER_SHARD), "--distributor", "multiprocessing"]
    env = dict(os.environ, NO_ALBUMENTATIONS_UPDATE="1")
    r = timed(cmd, log, env)
    ok = sum(json.load(open(f))["successes"] for f in glob.glob(os.path.join(out, "*_stats.json")))
    return r, ok


def build_class_archive(work, server, synergen):
    """bin/synergen ingest dumps its class archive on its first run after a build (a one-time cost,
    like installing img2dataset); it is made here on a small input so that no timed run pays it."""
    jar = os.path.join(ROOT, "ingest", "target", "synergen-ingest-0.1.0-SNAPSHOT.jar")
    archive = os.path.join(ROOT, "ingest", "target", "synergen-ingest-classes.jsa")
    if os.path.exists(archive) and os.path.getmtime(archive) >= os.path.getmtime(jar):
        return
    import pyarrow as pa
    import pyarrow.parquet as pq
    meta = os.path.join(work, "meta-archive.parquet")
    urls = [f"http://127.0.0.1:{server.port}/img/{i}.jpg" for i in range(2 * PER_SHARD)]
    pq.write_table(pa.table({"url": urls, "caption": ["photo"] * len(urls)}), meta)
    (wall, _, _), _ = run_ours(meta, os.path.join(work, "archive-run"), os.path.join(work, "archive-run.log"),
                               synergen)
    print(f"  class archive built by a first {len(urls)}-row run of ours ({wall:.1f} s, not in the table)",
          flush=True)


def image_cost():
    jar = os.path.join(ROOT, "ingest", "target", "synergen-ingest-0.1.0-SNAPSHOT.jar")
    lib = os.path.join(ROOT, "ingest", "target", "lib", "*")
    return subprocess.run(["java", "-Xmx1g", f"-Dsynergen.home={ROOT}", "-cp", f"{jar}:{lib}",
                           "org.synergen.ingest.bench.ImageCost"],
                          check=True, capture_output=True, text=True).stdout.strip()


def summary(rows):
    """Per N, over all rounds: each tool's median CPU, ours against theirs on the summed CPU and
    wall, and the rounds where ours used no more CPU. One round's ratio moves by 10% with the
    machine's speed; sums over alternating rounds move much less."""
    lines = []
    for n in sorted({r[0] for r in rows}):
        by_tool = {t: [r for r in rows if r[0] == n and r[2] == t] for t in ("img2dataset", "synergen")}
        if not all(by_tool.values()):
            continue
        ours, theirs = by_tool["synergen"], by_tool["img2dataset"]
        wall = sum(r[3] for r in theirs) / sum(r[3] for r in ours)
        cpu = sum(r[5] for r in ours) / sum(r[5] for r in theirs)
        lower = sum(o[5] <= t[5] for o, t in zip(ours, theirs))
        lines.append(f"N={n}, {len(ours)} rounds: median CPU {statistics.median(r[5] for r in ours):.1f} s ours, "
                     f"{statistics.median(r[5] for r in theirs):.1f} s img2dataset; summed CPU ours / theirs "
                     f"{cpu:.2f}x (ours no more in {lower} of {len(ours)} rounds); summed wall theirs / ours {wall:.2f}x")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="2000,20000", help="comma-separated N (default 2000,20000)")
    ap.add_argument("--rounds", type=int, default=2, help="runs of each tool per N (default 2)")
    ap.add_argument("--install", action="store_true", help=f"pip install img2dataset into {VENV} if missing")
    ap.add_argument("--synergen", default=os.path.join(ROOT, "bin", "synergen"), help="our launcher")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (outputs and logs)")
    ap.add_argument("--tools", default="img2dataset,synergen", help="which tools to run (for profiling one)")
    a = ap.parse_args()
    tools = a.tools.split(",")
    ensure_venv(a.install)
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = sorted(glob.glob(os.path.join(ROOT, "data", "sample", "images", "*.jpg")))
    images = [open(n, "rb").read() for n in names]
    server = Server(images)
    work = tempfile.mkdtemp(prefix="ingest-vs-img2dataset-")
    print(f"load average before: {os.getloadavg()[0]:.2f}; work folder {work}", flush=True)
    if "synergen" in tools:
        build_class_archive(work, server, a.synergen)
    rows = []
    sha_differs = False
    for n in [int(x) for x in a.sizes.split(",")]:
        meta = os.path.join(work, f"meta-{n}.parquet")
        urls = [f"http://127.0.0.1:{server.port}/img/{i}.jpg" for i in range(n)]
        pq.write_table(pa.table({"url": urls, "caption": [f"photo {i}" for i in range(n)]}), meta)
        for r in range(a.rounds):
            for tool in tools:
                out = os.path.join(work, f"{tool}-{n}-{r}")
                log = out + ".log"
                if tool == "synergen":
                    (wall, cpu, rss), ok = run_ours(meta, out, log, a.synergen)
                else:
                    (wall, cpu, rss), ok = run_img2dataset(meta, out, log)
                if ok != n:
                    sys.exit(f"{tool} wrote {ok} successes of {n}; see {log}")
                rows.append((n, r + 1, tool, wall, n / wall, cpu, rss / 2**20))
                print(f"  N={n} round {r + 1} {tool}: {wall:.1f} s, CPU {cpu:.1f} s, "
                      f"peak RSS {rss / 2**20:.0f} MiB", flush=True)
        if "img2dataset" in tools and "synergen" in tools:
            theirs = sha_by_url(os.path.join(work, f"img2dataset-{n}-0"))
            ours = sha_by_url(os.path.join(work, f"synergen-{n}-0"))
            same = sum(ours[u] == theirs.get(u) for u in ours)
            print(f"  N={n}: our sha256 equals img2dataset's for {same} of {n} URLs", flush=True)
            sha_differs = sha_differs or same != n
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print()
    print("| N | round | tool | wall s | images/s | CPU s | peak RSS MiB | img2dataset wall / ours |")
    print("|---|---|---|---|---|---|---|---|")
    for n, r, tool, wall, rate, cpu, rss in rows:
        ratio = ""
        if tool == "synergen":
            theirs = [x for x in rows if x[0] == n and x[1] == r and x[2] == "img2dataset"]
            ratio = f"{theirs[0][3] / wall:.2f}x" if theirs else ""
        print(f"| {n} | {r} | {tool} | {wall:.1f} | {rate:.0f} | {cpu:.1f} | {rss:.0f} | {ratio} |")
    print()
    for line in summary(rows):
        print(line)
    print()
    print(image_cost())
    if not a.keep:
        shutil.rmtree(work)
    if sha_differs:
        sys.exit("our sha256 differs from img2dataset's")


if __name__ == "__main__":
    main()
