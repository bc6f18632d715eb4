import type { Duration } from "./types.js";

export function durationToSeconds(duration: Duration): number {
  const d = duration as { days?: number; hours?: number; minutes?: number; seconds?: number };
  return (d.days ?? 0) * 86_400 + (d.hours ?? 0) * 3_600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
}
