// When the language server dies: restart it, unless it has died too often lately (no restart loop).

import { CloseAction, ErrorAction, type ErrorHandler, type ErrorHandlerResult, type CloseHandlerResult } from 'vscode-languageclient/node';

export interface RestartPolicyOptions {
  /** Crashes allowed within the window before giving up. */
  readonly maxCrashes: number;
  readonly windowMs: number;
  readonly now?: () => number;
  /** Called once when the policy gives up, with a sentence for the user. */
  readonly onGiveUp: (message: string) => void;
  readonly log: (message: string) => void;
}

export class CrashRestartPolicy implements ErrorHandler {
  private crashes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.options.log(`Language server connection error (${count ?? 1}): ${error.message}`);
    return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = (this.options.now ?? Date.now)();
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    if (this.crashes.length > this.options.maxCrashes) {
      const minutes = Math.round(this.options.windowMs / 60000);
      const message = `The Go Trace Lens language server stopped ${this.crashes.length} times in ${minutes} minutes and was not restarted again.`;
      this.options.onGiveUp(message);
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.options.log(`The language server stopped unexpectedly; restarting it (${this.crashes.length} of ${this.options.maxCrashes} allowed in ${Math.round(this.options.windowMs / 60000)} minutes).`);
    return { action: CloseAction.Restart, handled: true };
  }

  /** A deliberate restart by the user starts the count afresh. */
  reset(): void {
    this.crashes = [];
  }
}
