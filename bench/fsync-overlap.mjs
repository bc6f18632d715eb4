// `node bench/fsync-overlap.mjs`: can a step's CPU work hide behind its checkpoint's fsync on this
// machine? Each sample rewrites one 4 KiB page of a file and fdatasyncs it, with `--work` µs of
// busy JavaScript (a step's engine and runtime work) either before the fsync on the same thread
// (the baseline: what SqliteStore does) or while another thread fsyncs: libuv's thread pool
// (fs.fdatasync's callback) and a worker thread woken and answered through Atomics (the
// cheapest hop Node has). Prints the p50s and each one's ratio to the baseline.
// Options: --samples N (default 2000), --work a,b,c (default 0,30,60).
import { fdatasync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const FSYNC = 1;
const DONE = 2;
const EXIT = 3;

if (!isMainThread) {
  // The fsync thread: waits for a request, fsyncs, answers.
  const flag = new Int32Array(workerData.shared);
  const fd = openSync(workerData.path, "r+");
  parentPort.postMessage("ready");
  for (;;) {
    Atomics.wait(flag, 0, 0);
    const request = Atomics.load(flag, 0);
    if (request === EXIT) break;
    if (request === FSYNC) {
      fdatasyncSync(fd);
      Atomics.store(flag, 0, DONE);
      Atomics.notify(flag, 0);
    }
  }
} else {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
  const SAMPLES = Number(option("samples", "2000"));
  const WORK = option("work", "0,30,60").split(",").map(Number);
  const dir = mkdtempSync(join(tmpdir(), "replayable-fsync-overlap-"));
  const path = join(dir, "file");
  const fd = openSync(path, "w+");
  const page = Buffer.alloc(4096, 1);
  // A file of 64 pages written and synced once: every sample then overwrites (no file growth).
  for (let i = 0; i < 64; i++) writeSync(fd, page, 0, page.length, i * page.length);
  fdatasyncSync(fd);
  const shared = new SharedArrayBuffer(4);
  const flag = new Int32Array(shared);
  const worker = new Worker(new URL(import.meta.url), { workerData: { shared, path } });
  await new Promise((resolve) => worker.once("message", resolve));

  const busy = (us) => {
    const end = performance.now() + us / 1000;
    while (performance.now() < end);
  };
  const p50 = (times) => [...times].sort((a, b) => a - b)[times.length >> 1];
  async function measure(sample) {
    const times = [];
    for (let i = 0; i < SAMPLES; i++) {
      writeSync(fd, page, 0, page.length, (i % 64) * page.length);
      const started = performance.now();
      await sample();
      times.push(performance.now() - started);
    }
    return p50(times);
  }

  console.log(`fsync-overlap on ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  for (const work of WORK) {
    const sequential = await measure(() => {
      busy(work);
      fdatasyncSync(fd);
    });
    const threadPool = await measure(() => {
      const synced = new Promise((resolve) => fdatasync(fd, resolve));
      busy(work);
      return synced;
    });
    const workerThread = await measure(() => {
      Atomics.store(flag, 0, FSYNC);
      Atomics.notify(flag, 0);
      busy(work);
      while (Atomics.load(flag, 0) !== DONE) Atomics.wait(flag, 0, FSYNC, 50);
      Atomics.store(flag, 0, 0);
    });
    const ratio = (value) => `${value.toFixed(3)} ms (${(value / sequential).toFixed(2)}x)`;
    console.log(`work ${String(work).padStart(3)} µs: one after the other ${sequential.toFixed(3)} ms; overlapped: thread pool ${ratio(threadPool)}, worker thread ${ratio(workerThread)}`);
  }
  Atomics.store(flag, 0, EXIT);
  Atomics.notify(flag, 0);
  await worker.terminate();
  rmSync(dir, { recursive: true, force: true });
}
