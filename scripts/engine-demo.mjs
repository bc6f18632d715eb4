// The second half of `npm run demo`: the payment flow (examples/run/order-payment.ts) on the
// local engine, in a child process that is killed with SIGKILL during its settlement wait,
// then the same command again: the execution continues from its checkpoint, and the charge
// log shows one charge. Used by scripts/demo.mjs (with the built bin) and test/demo.test.ts.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "./lint-examples.mjs";

export const PAYMENT_EXAMPLE = "examples/run/order-payment.ts";
export const DEMO_EXECUTION_ID = "order-1042";

const plain = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s };
const ansi = (open, close) => (s) => `\u001b[${open}m${s}\u001b[${close}m`;
const colored = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), green: ansi(32, 39), yellow: ansi(33, 39) };
// eslint-disable-next-line no-control-regex
const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, "");

/**
 * Runs the demo. `bin` is the CLI entry (dist/cli/bin.js); `print` receives every line shown.
 * Resolves with { ok, charges, exitCodes, killedDuringWait, output } and never throws for a
 * demo that went wrong: `ok` says whether the execution completed with exactly one charge.
 * With `keepStore`, the store's folder is left in place and `store` names the file (for the console).
 */
export async function runEngineDemo({ bin = path.join(REPO_ROOT, "dist/cli/bin.js"), cwd = REPO_ROOT, print = console.log, color = false, settlementSeconds = 4, timeoutMs = 60_000, keepStore = false } = {}) {
  const c = color ? colored : plain;
  const output = [];
  const show = (line = "") => {
    output.push(stripAnsi(line));
    print(line);
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), "replayable-demo-"));
  const store = path.join(dir, "db.sqlite");
  const chargeLog = path.join(dir, "charges.log");
  const input = JSON.stringify({ orderId: "o-1042", amountCents: 4200, settlementSeconds });
  const args = ["run", PAYMENT_EXAMPLE, "--id", DEMO_EXECUTION_ID, "--input", input, "--store", store];
  const env = { ...process.env, CHARGE_LOG: chargeLog };
  delete env[color ? "NO_COLOR" : "FORCE_COLOR"];
  env[color ? "FORCE_COLOR" : "NO_COLOR"] = "1";
  const charges = () => (existsSync(chargeLog) ? readFileSync(chargeLog, "utf8").split("\n").filter(Boolean) : []);
  const command = `replayable run ${PAYMENT_EXAMPLE} --id ${DEMO_EXECUTION_ID} --input '${input}' --store ${store}`;
  const exitCodes = [];
  let killedDuringWait = false;
  try {
    show(c.bold(`replayable: the payment flow on the local engine (${PAYMENT_EXAMPLE}: charge, wait, receipt)`));
    show(c.dim(`store and charge log in ${dir}`));
    show();
    show(c.bold(`$ CHARGE_LOG=${chargeLog} ${command}`));
    const first = await runChild(bin, args, { cwd, env, timeoutMs, show, killWhen: (line) => /^waiting: wait 'settlement'/.test(stripAnsi(line)) });
    exitCodes.push(first.code);
    killedDuringWait = first.killed;
    if (!first.killed) {
      show(c.red(`✗ the first run did not reach its settlement wait (exit code ${first.code}); see its output above`));
      return { ok: false, charges: charges(), exitCodes, killedDuringWait, output };
    }
    show(c.yellow(`✂ kill -9 ${first.pid}: the process died during the settlement wait, with no chance to clean up`));
    show(c.dim(`  charges.log now: ${charges().length} charge`));
    show();
    show(c.bold(`$ ${command}`) + c.dim("   # the same command again"));
    const second = await runChild(bin, args, { cwd, env, timeoutMs, show });
    exitCodes.push(second.code);
    show();
    const lines = charges();
    show(c.bold(`charges.log after the restart (${lines.length} line${lines.length === 1 ? "" : "s"}):`));
    for (const line of lines) show(`  ${line}`);
    const ok = second.code === 0 && lines.length === 1;
    show(
      ok
        ? c.green("✓ charged exactly once: the restarted process replayed the handler from its checkpoint, got the charge step's recorded result, and went on with the receipt")
        : c.red(`✗ expected the execution to succeed with exactly one charge; exit code ${second.code}, ${lines.length} charges`),
    );
    return { ok, charges: lines, exitCodes, killedDuringWait, output, store };
  } finally {
    if (!keepStore) rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the CLI, showing its output indented; kills it with SIGKILL at the first line `killWhen` accepts. */
function runChild(bin, args, { cwd, env, timeoutMs, show, killWhen }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let killed = false;
    const timer = setTimeout(() => {
      show(`  (no progress after ${timeoutMs} ms: stopping the demo)`);
      child.kill("SIGKILL");
    }, timeoutMs);
    const forward = (stream) => {
      let buffered = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk) => {
        buffered += chunk;
        let newline;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (killed) continue;
          show(`  │ ${line}`.trimEnd());
          if (killWhen?.(line)) {
            killed = true;
            child.kill("SIGKILL");
          }
        }
      });
      stream.on("end", () => buffered && !killed && show(`  │ ${buffered}`.trimEnd()));
    };
    forward(child.stdout);
    forward(child.stderr);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1), killed, pid: child.pid });
    });
  });
}
