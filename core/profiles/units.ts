// Units and number formatting exactly as `go tool pprof` prints them: the unit families it knows (bytes,
// time, GCU) and their aliases, automatic scaling (`1.82s`, `12.50MB`), the report-wide unit choice of
// `-top`, and percentages. Go's fmt rounds the exact binary value half-to-even (`%.2f` of 1.125 is
// "1.12"); JavaScript's toFixed rounds ties up, so the Go behaviour is rebuilt here.

interface Unit {
  readonly canonical: string;
  readonly aliases: readonly string[];
  readonly factor: number;
}

interface UnitFamily {
  readonly defaultUnit: Unit;
  readonly units: readonly Unit[];
}

const BYTES: UnitFamily = {
  units: [
    { canonical: 'B', aliases: ['b', 'byte'], factor: 1 },
    { canonical: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
    { canonical: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
    { canonical: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
    { canonical: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
    { canonical: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
  ],
  defaultUnit: { canonical: 'B', aliases: ['b', 'byte'], factor: 1 },
};

const TIME: UnitFamily = {
  units: [
    { canonical: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
    { canonical: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
    { canonical: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
    { canonical: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
    { canonical: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
  ],
  defaultUnit: { canonical: 's', aliases: [], factor: 1e9 },
};

const GCU: UnitFamily = {
  units: [
    { canonical: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
    { canonical: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
    { canonical: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
    { canonical: 'GCU', aliases: ['gcu'], factor: 1 },
    { canonical: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
    { canonical: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
    { canonical: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
    { canonical: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
    { canonical: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
  ],
  defaultUnit: { canonical: 'GCU', aliases: [], factor: 1 },
};

const FAMILIES = [BYTES, TIME, GCU];

function sniffUnit(family: UnitFamily, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return family.units.find((candidate) => candidate.aliases.includes(u));
}

/** True when `unit` is one pprof knows how to scale (a byte, time or GCU unit). */
export function isScalableUnit(unit: string): boolean {
  return FAMILIES.some((f) => sniffUnit(f, unit) !== undefined);
}

/**
 * pprof's `measurement.Scale`: `value` in `fromUnit` expressed in `toUnit`, where `toUnit` may be
 * "minimum"/"auto" (pick the largest unit that keeps the value >= 1). The unit is "" when uninteresting.
 */
export function scaleValue(value: number, fromUnit: string, toUnit: string): { value: number; unit: string } {
  if (value < 0) {
    const scaled = scaleValue(-value, fromUnit, toUnit);
    return { value: -scaled.value, unit: scaled.unit };
  }
  for (const family of FAMILIES) {
    const from = sniffUnit(family, fromUnit);
    if (!from) continue;
    const v = value * from.factor;
    if (toUnit === 'minimum' || toUnit === 'auto') {
      let factor = 0;
      let unit = '';
      for (const u of family.units) {
        if (u.factor >= factor && v / u.factor >= 1) {
          factor = u.factor;
          unit = u.canonical;
        }
      }
      if (factor === 0) return { value: v / family.defaultUnit.factor, unit: family.defaultUnit.canonical };
      return { value: v / factor, unit };
    }
    const to = sniffUnit(family, toUnit);
    if (!to) return { value: v / family.defaultUnit.factor, unit: family.defaultUnit.canonical };
    return { value: v / to.factor, unit: to.canonical };
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return { value, unit: '' };
    default:
      return { value, unit: toUnit };
  }
}

/** pprof's `measurement.ScaledLabel`: `1.82s`, `12.50MB`, `0`. */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const scaled = scaleValue(value, fromUnit, toUnit);
  let text = goFixed(scaled.value, 2);
  if (text.endsWith('.00')) text = text.slice(0, -3);
  if (text === '0' || text === '-0') return '0';
  return text + scaled.unit;
}

/** A value in its profile unit, scaled for reading: `formatValue(1820000000, 'nanoseconds')` is "1.82s". */
export function formatValue(value: number, unit: string): string {
  return scaledLabel(value, unit, 'auto');
}

/** pprof's `measurement.Percentage`: "15.02%", "  100%", "0.017%", "    0%". */
export function formatPercentage(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${goFixed(ratio, 2).padStart(5)}%`;
  return `${goGeneral(ratio, 2).padStart(5)}%`;
}

/**
 * The output unit `go tool pprof -top` picks for a whole report: the unit of the smallest non-zero row
 * value, moved up when the total is more than 100 times larger.
 */
export function selectOutputUnit(rows: readonly { flat: number; cum: number }[], total: number, sampleUnit: string): string {
  let minValue = 0;
  for (const row of rows) {
    let nodeMin = Math.abs(row.flat);
    if (nodeMin === 0) nodeMin = Math.abs(row.cum);
    if (nodeMin > 0 && (minValue === 0 || nodeMin < minValue)) minValue = nodeMin;
  }
  if (rows.length === 0) return 'minimum';
  const maxValue = total;
  if (minValue === 0) minValue = maxValue;
  const minUnit = scaleValue(minValue, sampleUnit, 'minimum').unit;
  const maxUnit = scaleValue(maxValue, sampleUnit, 'minimum').unit;
  let unit = minUnit;
  if (minUnit !== maxUnit && minValue * 100 < maxValue) unit = scaleValue(100 * minValue, sampleUnit, 'minimum').unit;
  return unit !== '' ? unit : sampleUnit;
}

// --- Go's fmt for floats -------------------------------------------------------------------------------

const TIE_DIGITS = 30;

/** Decimal digits of |x| rounded at `decimals` places, half-to-even on exact ties (as Go does). */
function roundFixed(x: number, decimals: number): string {
  const up = x.toFixed(decimals);
  if (x >= 1e21 || decimals + TIE_DIGITS > 100) return up;
  const exact = x.toFixed(decimals + TIE_DIGITS);
  const tail = exact.slice(exact.length - TIE_DIGITS);
  if (tail !== '5'.padEnd(TIE_DIGITS, '0')) return up;
  // An exact tie: JavaScript rounded away from zero; Go keeps the even digit.
  let kept = exact.slice(0, exact.length - TIE_DIGITS);
  if (kept.endsWith('.')) kept = kept.slice(0, -1);
  const last = kept.charCodeAt(kept.length - 1) - 48;
  return last % 2 === 0 ? kept : up;
}

/** Go's `fmt.Sprintf("%.<decimals>f", x)`. */
export function goFixed(x: number, decimals: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  return (negative ? '-' : '') + roundFixed(Math.abs(x), decimals);
}

/** Significant digits of |x| rounded to `precision` (half-to-even on exact ties), trailing zeros trimmed. */
function roundSignificant(x: number, precision: number): { digits: string; pointPosition: number } {
  if (x === 0) return { digits: '', pointPosition: 0 };
  const format = (p: number) => {
    const [mantissa, exponent] = x.toExponential(p).split('e');
    return { mantissa: mantissa!.replace('.', ''), exponent: Number(exponent) };
  };
  let { mantissa, exponent } = format(precision - 1);
  if (precision - 1 + TIE_DIGITS <= 100) {
    const exact = format(precision - 1 + TIE_DIGITS);
    if (exact.mantissa.slice(precision) === '5'.padEnd(TIE_DIGITS, '0')) {
      const kept = exact.mantissa.slice(0, precision);
      if ((kept.charCodeAt(kept.length - 1) - 48) % 2 === 0) {
        mantissa = kept;
        exponent = exact.exponent;
      }
    }
  }
  const digits = mantissa.replace(/0+$/, '');
  return { digits, pointPosition: exponent + 1 };
}

/** Go's `strconv.FormatFloat(x, 'g', precision, 64)`, which is what `%.<precision>g` prints. */
export function goGeneral(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const { digits, pointPosition } = roundSignificant(Math.abs(x), precision);
  const nd = digits.length;
  let eprec = precision;
  if (eprec > nd && nd >= pointPosition) eprec = nd;
  const exp = pointPosition - 1;
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= eprec) {
    const prec = Math.min(precision, nd) - 1;
    let out = digits[0] ?? '0';
    if (prec > 0) out += '.' + digits.slice(1, 1 + prec).padEnd(prec, '0');
    const e = nd === 0 ? 0 : exp;
    return `${sign}${out}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const prec = Math.max((precision > pointPosition ? nd : precision) - pointPosition, 0);
  let integer = '';
  if (pointPosition > 0) integer = digits.slice(0, pointPosition).padEnd(pointPosition, '0');
  else integer = '0';
  let fraction = '';
  for (let i = 0; i < prec; i++) {
    const j = pointPosition + i;
    fraction += j >= 0 && j < nd ? digits[j] : '0';
  }
  return sign + integer + (prec > 0 ? '.' + fraction : '');
}
