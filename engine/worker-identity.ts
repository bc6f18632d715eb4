import { randomUUID } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

// A worker's id names its host, process and process namespace, so an engine can tell that a
// lease it sees belongs to a process on this machine that is gone (killed, crashed) and take
// the work over at once instead of waiting for the lease to run out. A pid means something
// only in its PID namespace (containers on one host with host networking share a hostname)
// and boot: liveness is checked only for workers of the same boot and PID namespace; for any
// other (or when this cannot be known) the engine waits for the lease to expire.

let cachedNamespace: string | undefined | null = null;

/** This process's boot id and PID namespace ("<boot id>:<namespace inode>"); undefined when unknown. */
function pidNamespace(): string | undefined {
  if (cachedNamespace !== null) return cachedNamespace;
  if (process.platform !== "linux") return (cachedNamespace = `${process.platform}`); // no PID namespaces
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const namespace = /^pid:\[(\d+)\]$/.exec(readlinkSync("/proc/self/ns/pid"))?.[1];
    cachedNamespace = boot && namespace ? `${boot}:${namespace}` : undefined;
  } catch {
    cachedNamespace = undefined;
  }
  return cachedNamespace;
}

/** host/pid/random/namespace (the namespace part is "unknown" when it cannot be read). */
export function newWorkerId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}/${pidNamespace() ?? "unknown"}`;
}

/** True only when the owner is a worker of this host, boot and PID namespace whose process no longer exists. */
export function isDeadLocalWorker(owner: string): boolean {
  const [host, pid, , namespace] = owner.split("/");
  const ours = pidNamespace();
  if (host !== hostname() || ours === undefined || namespace !== ours) return false;
  if (!pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
