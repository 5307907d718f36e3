// How the timeline writes times: durations with a unit that fits ("1.25 ms"), offsets from the start of
// the trace for the axis ("+350 ms"), and the axis's tick spacing (1, 2 or 5 × a power of ten).

export function durationText(ns: number): string {
  const abs = Math.abs(ns);
  if (!Number.isFinite(ns)) return '–';
  if (abs >= 60e9) {
    const minutes = Math.floor(abs / 60e9);
    const seconds = (abs - minutes * 60e9) / 1e9;
    return `${ns < 0 ? '-' : ''}${minutes} min ${seconds.toFixed(seconds >= 10 ? 0 : 1)} s`;
  }
  if (abs >= 1e9) return `${(ns / 1e9).toFixed(abs >= 1e10 ? 2 : 3)} s`;
  if (abs >= 1e6) return `${(ns / 1e6).toFixed(abs >= 1e8 ? 1 : abs >= 1e7 ? 2 : 3)} ms`;
  if (abs >= 1e3) return `${(ns / 1e3).toFixed(abs >= 1e5 ? 1 : abs >= 1e4 ? 2 : 3)} µs`;
  return `${Math.round(ns)} ns`;
}

/** The tick step (ns) for about `pixelsPerTick` pixels between ticks. */
export function tickStep(nsPerPixel: number, pixelsPerTick = 100): number {
  const raw = Math.max(1, nsPerPixel * pixelsPerTick);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const multiple of [1, 2, 5, 10]) if (power * multiple >= raw) return power * multiple;
  return power * 10;
}

/**
 * An axis label: the offset from the trace's start, in the unit of the largest offset on the axis
 * (`largestNs`, so one axis does not mix units) and with as many decimals as the step needs.
 */
export function offsetText(offsetNs: number, stepNs: number, largestNs = Math.abs(offsetNs)): string {
  const units: [number, string][] = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];
  const magnitude = Math.max(stepNs, largestNs);
  const [scale, unit] = units.find(([s]) => magnitude >= s) ?? [1, 'ns'];
  const decimals = Math.max(0, Math.min(9, Math.ceil(Math.log10(scale / stepNs) - 1e-9)));
  return `${(offsetNs / scale).toFixed(decimals)} ${unit}`;
}

/** A share as a percentage with one decimal. */
export function percentText(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  return `${((100 * part) / whole).toFixed(1)}%`;
}
