import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { expect, it } from "vitest";
import { isDeadLocalWorker, newWorkerId } from "../../engine/worker-identity.js";

it("recognises a worker of this host whose process has died, and nothing else", async () => {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
  const owner = `${hostname()}/${child.pid}/abcd1234`;
  expect(isDeadLocalWorker(owner)).toBe(false);
  child.kill("SIGKILL");
  await new Promise((resolve) => child.on("exit", resolve));
  expect(isDeadLocalWorker(owner)).toBe(true);
  expect(isDeadLocalWorker(`another-host/${child.pid}/abcd1234`)).toBe(false);
  expect(isDeadLocalWorker(newWorkerId())).toBe(false);
  expect(isDeadLocalWorker("worker-without-pid")).toBe(false);
  expect(newWorkerId()).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/${process.pid}/[0-9a-f]{8}$`));
});
