/** One timer that wakes a pure module at its next deadline (the pure modules never hold timers). */
export class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly wake: (now: number) => void) {}

  /** Replaces any earlier wake-up; undefined cancels. */
  at(deadline: number | undefined): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (deadline === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake(Date.now());
    }, Math.max(0, deadline - Date.now()));
  }

  cancel(): void {
    this.at(undefined);
  }
}
