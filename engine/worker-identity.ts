import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

// A worker's id names its host and process, so an engine can tell that a lease it sees
// belongs to a process on this machine that is gone (killed, crashed) and take the work
// over at once instead of waiting for the lease to run out.

export function newWorkerId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

/** True only when the owner is a worker of this host whose process no longer exists. */
export function isDeadLocalWorker(owner: string): boolean {
  const [host, pid] = owner.split("/");
  if (host !== hostname() || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
