// What the capture pickers remember per workspace: the last endpoint used (offered first next time), the
// last kind picked, and the last duration of each timed kind. Kept in the workspace state, never with
// user info, headers or credentials. Pure: no vscode import (the store is Memento-like).

import { findCaptureKind, type CaptureKind, type CaptureKindId } from '../../../core/capture';
import { parseRecentEndpoint, recentEndpoint, type EndpointChoice, type RecentEndpoint } from './endpointChoices';
import type { KeyValueStore } from './hostApprovals';

const KEYS = {
  endpoint: 'goTraceLens.capture.lastEndpoint',
  kind: 'goTraceLens.capture.lastKind',
  seconds: 'goTraceLens.capture.lastSeconds',
} as const;

export class CaptureMemory {
  constructor(private readonly store: KeyValueStore) {}

  recentEndpoint(): RecentEndpoint | undefined {
    return parseRecentEndpoint(this.store.get<unknown>(KEYS.endpoint));
  }

  lastKind(): CaptureKind | undefined {
    const id = this.store.get<unknown>(KEYS.kind);
    return typeof id === 'string' ? findCaptureKind(id) : undefined;
  }

  lastSeconds(kind: CaptureKindId): number | undefined {
    const all = this.store.get<unknown>(KEYS.seconds);
    const value = typeof all === 'object' && all !== null ? (all as Record<string, unknown>)[kind] : undefined;
    return typeof value === 'number' ? value : undefined;
  }

  /** Records a capture that was saved. */
  async remember(endpoint: EndpointChoice, kind: CaptureKind, seconds: number | undefined): Promise<void> {
    await this.store.update(KEYS.endpoint, recentEndpoint(endpoint));
    await this.store.update(KEYS.kind, kind.id);
    if (seconds !== undefined) {
      const all = this.store.get<unknown>(KEYS.seconds);
      const previous = typeof all === 'object' && all !== null ? (all as Record<string, unknown>) : {};
      await this.store.update(KEYS.seconds, { ...previous, [kind.id]: seconds });
    }
  }
}
