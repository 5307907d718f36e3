// The text of a top report, laid out like `go tool pprof -top`: the profile legend, the "Showing nodes…"
// lines, then one row per node with flat, flat%, sum%, cum and cum% in one unit chosen for the report.

import type { Profile } from './profile';
import { baseName } from './pathUtil';
import type { TopReport } from './topReport';
import { formatPercentage, scaleValue, scaledLabel, selectOutputUnit } from './units';

export interface TopTextOptions {
  /** Active filters as pprof lists them ("focus=main", "tagfocus=worker=cpu"). */
  readonly activeFilters?: readonly string[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's "Jan 2, 2006 at 3:04pm (MST)" in the local time zone. */
function formatProfileTime(timeNanos: bigint): string {
  const date = new Date(Number(timeNanos / 1000000n));
  const hours = date.getHours();
  // Intl loads ICU's time-zone data (several MB): only for zones other than UTC.
  const zone = date.getTimezoneOffset() === 0 ? 'UTC' : new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  const minutes = String(date.getMinutes()).padStart(2, '0');
  return `${MONTHS[date.getMonth()]} ${date.getDate()}, ${date.getFullYear()} at ${h12}:${minutes}${hours < 12 ? 'am' : 'pm'} (${zone})`;
}

/** The legend pprof prints above a report. */
export function profileLegend(profile: Profile, report: Pick<TopReport, 'sampleType' | 'total'>, format: (v: number) => string): string[] {
  const lines: string[] = [];
  const first = profile.mappings[0];
  if (first) {
    if (first.file !== '') lines.push(`File: ${baseName(first.file)}`);
    if (first.buildId !== '') lines.push(`Build ID: ${first.buildId}`);
  }
  for (const comment of profile.comments) if (!comment.startsWith('#')) lines.push(comment);
  lines.push(`Type: ${report.sampleType.type}`);
  if (profile.timeNanos !== 0n) lines.push(`Time: ${formatProfileTime(profile.timeNanos)}`);
  if (profile.durationNanos !== 0n) {
    const duration = Number(profile.durationNanos);
    const totalNanos = scaleValue(report.total, report.sampleType.unit, 'nanoseconds');
    const ratio = totalNanos.unit === 'ns' && totalNanos.value !== 0 ? `(${formatPercentage(Math.trunc(totalNanos.value), duration)})` : '';
    lines.push(`Duration: ${scaledLabel(duration, 'nanoseconds', 'auto')}, Total samples = ${format(report.total)} ${ratio}`);
  }
  return lines;
}

export function renderTopText(report: TopReport, profile: Profile, options: TopTextOptions = {}): string {
  const unit = report.sampleType.unit;
  const outputUnit = selectOutputUnit(report.rows, report.total, unit);
  const format = (v: number) => scaledLabel(v, unit, outputUnit);
  const lines = profileLegend(profile, report, format);
  const filters = options.activeFilters ?? [];
  if (filters.length > 0) {
    lines.push('Active filters:');
    for (const f of filters) lines.push(`   ${f.length > 80 ? f.slice(0, 80) + '…' : f}`);
  }
  let shownFlat = 0;
  for (const row of report.rows) shownFlat += row.flat;
  lines.push(`Showing nodes accounting for ${format(shownFlat)}, ${formatPercentage(shownFlat, report.total).trim()} of ${format(report.total)} total`);
  if (report.total !== 0) {
    if (report.droppedNodes > 0) {
      lines.push(`Dropped ${report.droppedNodes} node${report.droppedNodes > 1 ? 's' : ''} (cum <= ${format(report.nodeCutoffShown)})`);
    }
    if (report.rows.length > 0 && report.rows.length < report.nodesBeforeLimit) {
      lines.push(`Showing top ${report.rows.length} nodes out of ${report.nodesBeforeLimit}`);
    }
  }
  lines.push(`${'flat'.padStart(10)} ${'flat'.padStart(5)}% ${'sum'.padStart(5)}% ${'cum'.padStart(10)} ${'cum'.padStart(5)}%`);
  let flatSum = 0;
  for (const row of report.rows) {
    flatSum += row.flat;
    const inline = row.inline ? ` (${row.inline})` : '';
    lines.push(
      `${format(row.flat).padStart(10)} ${formatPercentage(row.flat, report.total)} ${formatPercentage(flatSum, report.total)} ` +
        `${format(row.cum).padStart(10)} ${formatPercentage(row.cum, report.total)}  ${row.name}${inline}`,
    );
  }
  return lines.join('\n') + '\n';
}
