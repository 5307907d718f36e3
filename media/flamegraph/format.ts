// Numbers as the flame graph shows them: values scaled as pprof prints them (`1.82s`, `12.50MB`, via the
// pprof core's pure units module), shares of a total, and a diff's change.

import { formatPercentage, formatValue } from '../../core/profiles';

export function valueText(value: number, unit: string): string {
  return formatValue(value, unit);
}

/** "45.2%" style share; "0%" when the total is zero. */
export function shareText(value: number, total: number): string {
  return formatPercentage(value, total).trim();
}

/** "+1.20s (+20%)", "-300ms (-50%)", "new", "gone", "no change". */
export function changeText(value: number, baseValue: number, unit: string): string {
  if (value === baseValue) return 'no change';
  if (baseValue === 0) return `new (+${valueText(value, unit)})`;
  if (value === 0) return `gone (-${valueText(baseValue, unit)})`;
  const delta = value - baseValue;
  const sign = delta > 0 ? '+' : '-';
  return `${sign}${valueText(Math.abs(delta), unit)} (${sign}${shareText(Math.abs(delta), baseValue)})`;
}

/** A profile duration in nanoseconds: "2.15s", or "" when not recorded. */
export function durationText(nanos: number): string {
  return nanos > 0 ? formatValue(nanos, 'nanoseconds') : '';
}
