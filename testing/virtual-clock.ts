/**
 * The runner's clock. Virtual by default: it only moves when every pending operation is
 * waiting for time, and then jumps straight to the next due time.
 */
export class VirtualClock {
  private readonly realNow = Date.now.bind(Date);
  private current: number;
  constructor(
    readonly virtual: boolean,
    start: number = Date.now(),
  ) {
    this.current = start;
  }
  now(): number {
    return this.virtual ? this.current : this.realNow();
  }
  advanceTo(time: number): void {
    if (this.virtual && time > this.current) this.current = time;
  }
}
