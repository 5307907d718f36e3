// When the language server dies: restart it, unless it has died too often lately (no restart loop).
// The decision is CrashWindow's; this adapts it to the language client's error handler.

import { CloseAction, ErrorAction, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult } from 'vscode-languageclient/node';
import { CrashWindow } from './crashWindow';

export interface RestartPolicyOptions {
  /** Crashes allowed within the window before giving up. */
  readonly maxCrashes: number;
  readonly windowMs: number;
  /** Called when the policy gives up, with a sentence for the user. */
  readonly onGiveUp: (message: string) => void;
  readonly log: (message: string) => void;
}

export class CrashRestartPolicy implements ErrorHandler {
  private readonly window: CrashWindow;

  constructor(private readonly options: RestartPolicyOptions) {
    this.window = new CrashWindow(options.maxCrashes, options.windowMs);
  }

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.options.log(`Language server connection error (${count ?? 1}): ${error.message}`);
    return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const decision = this.window.record(Date.now());
    if (decision.action === 'give-up') {
      this.options.onGiveUp(decision.message);
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.options.log(`The language server stopped unexpectedly; restarting it (${decision.crashes} of ${this.options.maxCrashes} allowed in ${Math.round(this.options.windowMs / 60000)} minutes).`);
    return { action: CloseAction.Restart, handled: true };
  }

  /** A deliberate restart by the user starts the count afresh. */
  reset(): void {
    this.window.reset();
  }
}
