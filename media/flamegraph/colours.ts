// The flame graph's colours, all derived from the current VS Code theme: background, text, focus and
// search colours come from `--vscode-*` variables; frame fills are warm hues picked by package (so one
// package reads as one family) and lightness by function, tuned to a dark or light background; diff mode
// tints by change, growth and shrinkage each in the theme's own chart colour. Re-created on theme change.

import { readPalette, type Palette } from '../shared/theme';

const THEME_VARIABLES = {
  background: ['editor-background', '#1e1e1e'],
  foreground: ['editor-foreground', '#cccccc'],
  focus: ['focusBorder', '#007fd4'],
  searchMatch: ['charts-purple', '#b180d7'],
  grew: ['charts-red', '#f14c4c'],
  shrank: ['charts-blue', '#3794ff'],
  fontFamily: ['editor-font-family', 'monospace'],
} as const;

export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour the canvas understands, as RGB (the canvas normalises it); black when unparsable. */
export function parseColour(css: string): Rgb {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return { r: 0, g: 0, b: 0 };
  probe.fillStyle = '#000000';
  probe.fillStyle = css;
  const normal = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(normal);
  if (hex) return { r: parseInt(hex[1]!, 16), g: parseInt(hex[2]!, 16), b: parseInt(hex[3]!, 16) };
  const rgba = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(normal);
  if (rgba) return { r: Number(rgba[1]), g: Number(rgba[2]), b: Number(rgba[3]) };
  return { r: 0, g: 0, b: 0 };
}

export function toCss({ r, g, b }: Rgb): string {
  const hex = (v: number) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

/** `a` moved towards `b` by `amount` (0..1). */
export function mix(a: Rgb, b: Rgb, amount: number): Rgb {
  return { r: a.r + (b.r - a.r) * amount, g: a.g + (b.g - a.g) * amount, b: a.b + (b.b - a.b) * amount };
}

/** Relative luminance (0 black … 1 white). */
export function luminance({ r, g, b }: Rgb): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return { r: 255 * f(0), g: 255 * f(8), b: 255 * f(4) };
}

/** FNV-1a over the string's UTF-16 units: a stable colour seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The Go package of a function name: "crypto/sha256.(*digest).Write" → "crypto/sha256". */
export function packageOf(functionName: string): string {
  const slash = functionName.lastIndexOf('/');
  const dot = functionName.indexOf('.', slash + 1);
  return dot < 0 ? functionName : functionName.slice(0, dot);
}

/** Diff tint steps: colours are cached per step rather than per node. */
const DIFF_STEPS = 8;

export class FlameColours {
  readonly background: string;
  readonly foreground: string;
  readonly focus: string;
  readonly searchMatch: string;
  readonly grew: string;
  readonly shrank: string;
  readonly neutral: string;
  readonly fontFamily: string;
  readonly dark: boolean;
  private readonly backgroundRgb: Rgb;
  private readonly frameCache = new Map<string, { normal: string; dimmed: string }>();
  private readonly grewSteps: string[];
  private readonly shrankSteps: string[];
  private readonly dimmedDiff: string;

  constructor(palette: Palette) {
    this.background = palette.background!;
    this.foreground = palette.foreground!;
    this.focus = palette.focus!;
    this.searchMatch = palette.searchMatch!;
    this.grew = palette.grew!;
    this.shrank = palette.shrank!;
    this.fontFamily = palette.fontFamily!;
    this.backgroundRgb = parseColour(this.background);
    this.dark = luminance(this.backgroundRgb) < 0.4;
    const neutral = mix(this.backgroundRgb, parseColour(this.foreground), 0.3);
    this.neutral = toCss(neutral);
    const ramp = (target: Rgb) => Array.from({ length: DIFF_STEPS }, (_, i) => toCss(mix(neutral, target, 0.3 + (0.7 * (i + 1)) / DIFF_STEPS)));
    this.grewSteps = ramp(parseColour(this.grew));
    this.shrankSteps = ramp(parseColour(this.shrank));
    this.dimmedDiff = toCss(mix(neutral, this.backgroundRgb, 0.6));
  }

  /** Reads the theme's colours now. */
  static fromTheme(): FlameColours {
    return new FlameColours(readPalette(THEME_VARIABLES));
  }

  /** The fill of a frame of `functionName` in the normal view; `dimmed` when a search is on and it does not match. */
  frame(functionName: string, inline: boolean, dimmed: boolean): string {
    const key = inline ? `\u0001${functionName}` : functionName;
    let cached = this.frameCache.get(key);
    if (!cached) {
      const packageHash = hash(packageOf(functionName));
      const functionHash = hash(functionName);
      const hue = (packageHash % 56) + (functionHash % 5); // red … yellow
      const saturation = (inline ? 0.45 : 0.7) + ((functionHash >>> 8) % 10) / 100;
      const lightness = this.dark ? 0.3 + ((functionHash >>> 16) % 12) / 100 : 0.66 + ((functionHash >>> 16) % 12) / 100;
      const fill = hslToRgb(hue, saturation, lightness);
      cached = { normal: toCss(fill), dimmed: toCss(mix(fill, this.backgroundRgb, 0.7)) };
      this.frameCache.set(key, cached);
    }
    return dimmed ? cached.dimmed : cached.normal;
  }

  /** The fill of a frame in diff mode, by its change relative to the larger of its two values. */
  diff(value: number, baseValue: number, dimmed: boolean): string {
    if (dimmed) return this.dimmedDiff;
    const larger = Math.max(value, baseValue);
    if (larger <= 0) return this.neutral;
    const change = (value - baseValue) / larger;
    if (Math.abs(change) < 0.01) return this.neutral;
    const step = Math.min(DIFF_STEPS - 1, Math.floor(Math.abs(change) * DIFF_STEPS));
    return change > 0 ? this.grewSteps[step]! : this.shrankSteps[step]!;
  }

  /** Text on a frame: the theme's foreground, which the frame lightness is chosen to contrast with. */
  text(): string {
    return this.foreground;
  }
}
