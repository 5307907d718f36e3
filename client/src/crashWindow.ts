// How many times the language server may stop within a time window before it is no longer restarted:
// the decision behind "restart it if it crashes, without a restart loop". Pure, so it is unit-tested.

export type CrashDecision =
  | { readonly action: 'restart'; readonly crashes: number }
  | { readonly action: 'give-up'; readonly crashes: number; readonly message: string };

export class CrashWindow {
  private crashes: number[] = [];

  constructor(
    private readonly maxCrashes: number,
    private readonly windowMs: number,
  ) {}

  /** Records a stop at `now` (ms) and says whether to restart. */
  record(now: number): CrashDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    const count = this.crashes.length;
    if (count > this.maxCrashes) {
      const minutes = Math.round(this.windowMs / 60000);
      return { action: 'give-up', crashes: count, message: `The Go Trace Lens language server stopped ${count} times in ${minutes} minutes and was not restarted again.` };
    }
    return { action: 'restart', crashes: count };
  }

  /** A deliberate restart by the user starts the count afresh. */
  reset(): void {
    this.crashes = [];
  }
}
