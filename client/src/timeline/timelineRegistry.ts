// The open timelines, and how they relate: a span trace and an execution trace open at the same time
// may be from the same run, so each span trace is offered the most recently opened execution trace (its
// worker matches spans with runtime/trace tasks and says whether they line up), and a span's "show task"
// reveals the task in that execution trace's timeline.

import type { TimelineHost } from './timelineHost';

export class TimelineRegistry {
  /** Open timelines, oldest first. */
  private readonly hosts: TimelineHost[] = [];

  add(host: TimelineHost): void {
    this.hosts.push(host);
  }

  private latestExecution(): TimelineHost | undefined {
    for (let i = this.hosts.length - 1; i >= 0; i--) if (this.hosts[i]!.kind === 'go-execution-trace') return this.hosts[i];
    return undefined;
  }

  /** A timeline decoded its trace: pair span traces with the newest execution trace. */
  loaded(host: TimelineHost): void {
    // Loading again (a reopened webview) moves it to the end: it is the newest.
    const at = this.hosts.indexOf(host);
    if (at >= 0) this.hosts.splice(at, 1);
    this.hosts.push(host);
    if (host.kind === 'spans') {
      const exec = this.latestExecution();
      if (exec) void host.offerCompanion(exec);
    } else if (host.kind === 'go-execution-trace') {
      for (const other of this.hosts) if (other.kind === 'spans' && other.companion !== host) void other.offerCompanion(host);
    }
  }

  remove(host: TimelineHost): void {
    const at = this.hosts.indexOf(host);
    if (at >= 0) this.hosts.splice(at, 1);
    if (host.kind !== 'go-execution-trace') return;
    const next = this.latestExecution();
    for (const other of this.hosts) {
      if (other.companion !== host) continue;
      if (next) void other.offerCompanion(next);
      else other.withdrawCompanion();
    }
  }

  revealTask(from: TimelineHost, taskId: number, spanName: string): void {
    from.companion?.revealTask(taskId, spanName);
  }

  all(): readonly TimelineHost[] {
    return this.hosts;
  }
}
