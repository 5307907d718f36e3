// The `goTraceLens.profile.*` settings the language server uses, validated: bad values are reported and
// replaced by defaults, never thrown.

import type { PathSubstitution } from '../../../core/profiles';
import type { ProfileSettings } from '../profiles/profileModel';

export const DEFAULT_PROFILE_SETTINGS: ProfileSettings = {
  pathMappings: [],
  heatThreshold: 0.005,
  pileupThreshold: 100,
  leakCpuShare: 0.15,
  maxDecompressedBytes: 512 * 1024 * 1024,
};

function numberIn(value: unknown, min: number, max: number, fallback: number, name: string, warn: (m: string) => void): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
  warn(`goTraceLens.profile.${name}: ${JSON.stringify(value)} is not a number from ${min} to ${max}; using ${fallback}.`);
  return fallback;
}

export function parseProfileSettings(raw: unknown, warn: (message: string) => void): ProfileSettings {
  const section = (raw && typeof raw === 'object' ? (raw as Record<string, unknown>)['profile'] : undefined) as Record<string, unknown> | undefined;
  if (!section || typeof section !== 'object') return DEFAULT_PROFILE_SETTINGS;
  const pathMappings: PathSubstitution[] = [];
  const rawMappings = section['pathMappings'];
  if (Array.isArray(rawMappings)) {
    for (const m of rawMappings) {
      const from = (m as { from?: unknown })?.from;
      const to = (m as { to?: unknown })?.to;
      if (typeof from === 'string' && from !== '' && typeof to === 'string' && to !== '') pathMappings.push({ from, to });
      else warn(`goTraceLens.profile.pathMappings: ${JSON.stringify(m)} needs "from" and "to" strings; ignored.`);
    }
  } else if (rawMappings !== undefined) {
    warn('goTraceLens.profile.pathMappings must be a list of {"from": …, "to": …}; ignored.');
  }
  const goroot = typeof section['goroot'] === 'string' && section['goroot'] !== '' ? (section['goroot'] as string) : undefined;
  const d = DEFAULT_PROFILE_SETTINGS;
  return {
    pathMappings,
    goroot,
    heatThreshold: numberIn(section['heatThreshold'], 0, 1, d.heatThreshold, 'heatThreshold', warn),
    pileupThreshold: numberIn(section['goroutinePileupThreshold'], 1, 1e9, d.pileupThreshold, 'goroutinePileupThreshold', warn),
    leakCpuShare: numberIn(section['leakCpuShareThreshold'], 0, 1, d.leakCpuShare, 'leakCpuShareThreshold', warn),
    maxDecompressedBytes: numberIn(section['maxSizeMiB'], 1, 65536, d.maxDecompressedBytes / (1024 * 1024), 'maxSizeMiB', warn) * 1024 * 1024,
  };
}
