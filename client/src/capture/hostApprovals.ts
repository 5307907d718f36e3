// The hosts other than this machine the user has agreed to capture from. The first capture from such a
// host asks for confirmation; the answer is remembered per host name (in the extension's global state,
// passed in as a Memento-like store). Loopback hosts never ask. Pure: no vscode import.

/** The part of vscode.Memento used here. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const STORE_KEY = 'goTraceLens.capture.approvedHosts';

export class HostApprovals {
  constructor(private readonly store: KeyValueStore) {}

  private hosts(): string[] {
    const value = this.store.get<unknown>(STORE_KEY);
    return Array.isArray(value) ? value.filter((h): h is string => typeof h === 'string') : [];
  }

  isApproved(host: string): boolean {
    return this.hosts().includes(normalizeHost(host));
  }

  async approve(host: string): Promise<void> {
    const hosts = this.hosts();
    const normalized = normalizeHost(host);
    if (!hosts.includes(normalized)) await this.store.update(STORE_KEY, [...hosts, normalized]);
  }

  /** Whether a capture from `endpoint` must first ask the user. */
  needsConfirmation(endpoint: { readonly host: string; readonly loopback: boolean }): boolean {
    return !endpoint.loopback && !this.isApproved(endpoint.host);
  }
}

function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}
