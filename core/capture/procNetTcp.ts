// Reads Linux's /proc/net/tcp and /proc/net/tcp6 tables: which TCP ports listen on an address that
// loopback reaches (127.0.0.0/8, ::1, or the unspecified 0.0.0.0 / ::). Pure: the tables' text in,
// listeners out. Addresses in these tables are 32-bit words in the kernel's byte order (little-endian on
// x86 and arm64), ports are big-endian hex.

import { isLoopbackHost } from './loopback';

export interface TcpSocketEntry {
  readonly family: 4 | 6;
  /** Textual address: `127.0.0.1`, `::1`, `0.0.0.0`, `::`, `::ffff:127.0.0.1`. */
  readonly address: string;
  readonly port: number;
  /** Kernel TCP state; 0x0A is LISTEN. */
  readonly state: number;
}

export interface LoopbackListener {
  readonly port: number;
  /** The address to connect to: 127.0.0.1 when IPv4 reaches the port, ::1 otherwise. */
  readonly host: '127.0.0.1' | '::1';
}

export const TCP_LISTEN = 0x0a;

function wordBytes(hex: string, littleEndian: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return littleEndian ? bytes.reverse() : bytes;
}

function formatIpv6(bytes: readonly number[]): string {
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // Compress the longest run of zero groups (RFC 5952).
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses one table's text; lines that do not look like socket entries are skipped. */
export function parseProcNetTcp(text: string, family: 4 | 6, littleEndian = true): TcpSocketEntry[] {
  const entries: TcpSocketEntry[] = [];
  const addressHex = family === 4 ? 8 : 32;
  const pattern = new RegExp(`^\\s*\\d+:\\s+([0-9A-Fa-f]{${addressHex}}):([0-9A-Fa-f]{4})\\s+[0-9A-Fa-f]+:[0-9A-Fa-f]{4}\\s+([0-9A-Fa-f]{2})\\b`);
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    if (!match) continue;
    const [, hex, portHex, stateHex] = match;
    const bytes: number[] = [];
    for (let i = 0; i < addressHex; i += 8) bytes.push(...wordBytes(hex!.slice(i, i + 8), littleEndian));
    const address = family === 4 ? bytes.join('.') : formatIpv6(bytes);
    entries.push({ family, address, port: parseInt(portHex!, 16), state: parseInt(stateHex!, 16) });
  }
  return entries;
}

function reachableFromLoopback(entry: TcpSocketEntry): boolean {
  return entry.address === '0.0.0.0' || entry.address === '::' || entry.address === '::ffff:0.0.0.0' || isLoopbackHost(entry.address);
}

/**
 * The listening TCP ports loopback reaches, one per port, sorted by port. IPv4 and IPv4-mapped entries
 * are reached through 127.0.0.1; IPv6 ones (::1, and :: even when it is IPv6-only) through ::1. A port
 * listening on both is reached through 127.0.0.1.
 */
export function loopbackListeners(entries: readonly TcpSocketEntry[]): LoopbackListener[] {
  const byPort = new Map<number, LoopbackListener['host']>();
  for (const entry of entries) {
    if (entry.state !== TCP_LISTEN || entry.port === 0 || !reachableFromLoopback(entry)) continue;
    const host = entry.family === 4 || entry.address.startsWith('::ffff:') ? '127.0.0.1' : '::1';
    if (byPort.get(entry.port) !== '127.0.0.1') byPort.set(entry.port, host);
  }
  return [...byPort].sort((a, b) => a[0] - b[0]).map(([port, host]) => ({ port, host }));
}
