// The flame graph's colours, all derived from the current VS Code theme: background, text, focus and
// search colours come from `--vscode-*` variables; frame fills are warm hues picked by package (so one
// package reads as one family) and shade by function, tuned to a dark or light background; diff mode
// tints by change, growth and shrinkage each in the theme's own chart colour. The fills form one small
// table so the renderer can batch frames by fill. Re-created on theme change.

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
/** Frame fills: hue families (by package) × shades (by function). */
const HUE_FAMILIES = 8;
const SHADES = 4;
const FRAME_KEYS = HUE_FAMILIES * SHADES;

/**
 * A frame's colour key (0 … FRAME_KEYS-1) from its function name: the hue family from the package, the
 * shade from the function. Theme-independent, so it can be computed once per name.
 */
export function frameColourKey(functionName: string): number {
  return (hash(packageOf(functionName)) % HUE_FAMILIES) * SHADES + (hash(functionName) % SHADES);
}

/**
 * The fill table. Frames are drawn batched by fill (one path per entry), so the table is small: frame
 * colours by key, plain or inline, plain or dimmed; the search colour; the diff ramps.
 */
const FRAME_FILLS = FRAME_KEYS * 4;
export const SEARCH_FILL = FRAME_FILLS;
const NEUTRAL_FILL = FRAME_FILLS + 1;
const DIMMED_DIFF_FILL = FRAME_FILLS + 2;
const GREW_FILLS = FRAME_FILLS + 3;
const SHRANK_FILLS = GREW_FILLS + DIFF_STEPS;
const FILL_COUNT = SHRANK_FILLS + DIFF_STEPS;

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
  /** Every fill the graph uses, indexed by the numbers frameFill/diffFill return. */
  readonly fills: readonly string[];

  constructor(palette: Palette) {
    this.background = palette.background!;
    this.foreground = palette.foreground!;
    this.focus = palette.focus!;
    this.searchMatch = palette.searchMatch!;
    this.grew = palette.grew!;
    this.shrank = palette.shrank!;
    this.fontFamily = palette.fontFamily!;
    const background = parseColour(this.background);
    this.dark = luminance(background) < 0.4;
    const neutral = mix(background, parseColour(this.foreground), 0.3);
    this.neutral = toCss(neutral);

    const fills: string[] = new Array<string>(FILL_COUNT);
    for (let key = 0; key < FRAME_KEYS; key++) {
      const family = Math.floor(key / SHADES);
      const shade = key % SHADES;
      const hue = (family * 55) / (HUE_FAMILIES - 1); // red … yellow
      for (const inline of [0, 1]) {
        const saturation = inline ? 0.45 : 0.72;
        const lightness = (this.dark ? 0.3 : 0.66) + shade * 0.035;
        const fill = hslToRgb(hue, saturation, lightness);
        fills[(key * 2 + inline) * 2] = toCss(fill);
        fills[(key * 2 + inline) * 2 + 1] = toCss(mix(fill, background, 0.7));
      }
    }
    fills[SEARCH_FILL] = this.searchMatch;
    fills[NEUTRAL_FILL] = this.neutral;
    fills[DIMMED_DIFF_FILL] = toCss(mix(neutral, background, 0.6));
    const grew = parseColour(this.grew);
    const shrank = parseColour(this.shrank);
    for (let step = 0; step < DIFF_STEPS; step++) {
      const amount = 0.3 + (0.7 * (step + 1)) / DIFF_STEPS;
      fills[GREW_FILLS + step] = toCss(mix(neutral, grew, amount));
      fills[SHRANK_FILLS + step] = toCss(mix(neutral, shrank, amount));
    }
    this.fills = fills;
  }

  /** Reads the theme's colours now. */
  static fromTheme(): FlameColours {
    return new FlameColours(readPalette(THEME_VARIABLES));
  }

  /** The fill of a frame in the normal view; `dimmed` when a search is on and it does not match. */
  frameFill(colourKey: number, inline: boolean, dimmed: boolean): number {
    return (colourKey * 2 + (inline ? 1 : 0)) * 2 + (dimmed ? 1 : 0);
  }

  /** The fill of a frame in diff mode, by its change relative to the larger of its two values. */
  diffFill(value: number, baseValue: number, dimmed: boolean): number {
    if (dimmed) return DIMMED_DIFF_FILL;
    const larger = Math.max(value, baseValue);
    if (larger <= 0) return NEUTRAL_FILL;
    const change = (value - baseValue) / larger;
    if (Math.abs(change) < 0.01) return NEUTRAL_FILL;
    const step = Math.min(DIFF_STEPS - 1, Math.floor(Math.abs(change) * DIFF_STEPS));
    return (change > 0 ? GREW_FILLS : SHRANK_FILLS) + step;
  }

  /** Text on a frame: the theme's foreground, which the frame lightness is chosen to contrast with. */
  text(): string {
    return this.foreground;
  }
}
