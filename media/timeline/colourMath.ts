// Colour arithmetic for the timeline's palette: any CSS colour to RGB (the canvas parses it for us),
// blending, whether a background is dark, and a family of distinct hues for categories (services,
// goroutine groups) tuned to that background.

export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

let parser: CanvasRenderingContext2D | null = null;

/** RGB of a CSS colour; `fallback` when the browser cannot parse it. */
export function cssToRgb(css: string, fallback: Rgb = { r: 128, g: 128, b: 128 }): Rgb {
  parser ??= document.createElement('canvas').getContext('2d');
  if (!parser) return fallback;
  // An unparsable value leaves fillStyle unchanged: start from a sentinel to notice that.
  parser.fillStyle = '#010203';
  parser.fillStyle = css.trim();
  const value = String(parser.fillStyle);
  if (value === '#010203' && css.trim().toLowerCase() !== '#010203') return fallback;
  if (value.startsWith('#') && value.length === 7) {
    return { r: parseInt(value.slice(1, 3), 16), g: parseInt(value.slice(3, 5), 16), b: parseInt(value.slice(5, 7), 16) };
  }
  const parts = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(value);
  return parts ? { r: Number(parts[1]), g: Number(parts[2]), b: Number(parts[3]) } : fallback;
}

export function rgbToCss({ r, g, b }: Rgb, alpha = 1): string {
  const clamp = (v: number) => Math.round(Math.max(0, Math.min(255, v)));
  if (alpha < 1) return `rgba(${clamp(r)}, ${clamp(g)}, ${clamp(b)}, ${alpha})`;
  return `#${[r, g, b].map((v) => clamp(v).toString(16).padStart(2, '0')).join('')}`;
}

/** `from` moved `amount` (0..1) of the way to `to`. */
export function blend(from: Rgb, to: Rgb, amount: number): Rgb {
  return { r: from.r + (to.r - from.r) * amount, g: from.g + (to.g - from.g) * amount, b: from.b + (to.b - from.b) * amount };
}

/** Perceived brightness 0..1 (Rec. 601 weights): enough to tell a dark theme from a light one. */
export function brightness({ r, g, b }: Rgb): number {
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

function hsl(hueDegrees: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const h = (((hueDegrees % 360) + 360) % 360) / 60;
  const x = chroma * (1 - Math.abs((h % 2) - 1));
  const [r, g, b] = h < 1 ? [chroma, x, 0] : h < 2 ? [x, chroma, 0] : h < 3 ? [0, chroma, x] : h < 4 ? [0, x, chroma] : h < 5 ? [x, 0, chroma] : [chroma, 0, x];
  const m = lightness - chroma / 2;
  return { r: (r + m) * 255, g: (g + m) * 255, b: (b + m) * 255 };
}

/**
 * `count` distinct colours for categories, spread around the hue circle by the golden angle, light
 * enough on a dark background and dark enough on a light one for text to stay readable.
 */
export function categoryColours(count: number, darkBackground: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const hue = (200 + i * 137.508) % 360;
    const lightness = darkBackground ? 0.42 + (i % 3) * 0.05 : 0.7 + (i % 3) * 0.04;
    out.push(rgbToCss(hsl(hue, darkBackground ? 0.55 : 0.6, lightness)));
  }
  return out;
}

/** A stable small number for a string (FNV-1a), to give a name the same colour every time. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
