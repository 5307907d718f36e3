// The timeline's colours, all from the current VS Code theme: the background, text and lines from
// `--vscode-*` variables, goroutine states and GC from the theme's chart colours, categories (services,
// goroutine groups) as hues tuned to the background. Re-created whenever the theme changes.

import { readPalette } from '../shared/theme';
import { blend, brightness, categoryColours, cssToRgb, rgbToCss } from './colourMath';

const THEME_VARIABLES = {
  background: ['editor-background', '#1e1e1e'],
  foreground: ['editor-foreground', '#d4d4d4'],
  muted: ['descriptionForeground', '#9d9d9d'],
  focus: ['focusBorder', '#007fd4'],
  selection: ['editor-selectionBackground', '#264f78'],
  running: ['charts-green', '#89d185'],
  runnable: ['charts-yellow', '#cca700'],
  syscall: ['charts-purple', '#b180d7'],
  gc: ['charts-orange', '#d18616'],
  stw: ['charts-red', '#f14c4c'],
  task: ['charts-blue', '#3794ff'],
  error: ['errorForeground', '#f48771'],
  warning: ['editorWarning-foreground', '#cca700'],
  fontFamily: ['font-family', 'sans-serif'],
  monoFamily: ['editor-font-family', 'monospace'],
} as const;

/** How many category colours there are; categories beyond reuse them. */
const CATEGORY_COUNT = 24;

export class TimelineColours {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly laneStripe: string;
  readonly focus: string;
  readonly selection: string;
  readonly rangeShade: string;
  readonly running: string;
  readonly runnable: string;
  readonly syscall: string;
  readonly waiting: string;
  readonly gc: string;
  readonly stw: string;
  readonly assist: string;
  readonly task: string;
  readonly region: string;
  readonly log: string;
  readonly error: string;
  readonly highlight: string;
  readonly dimmed: string;
  readonly font: string;
  readonly monoFont: string;
  readonly dark: boolean;
  readonly categories: readonly string[];

  constructor(palette: Readonly<Record<string, string>>) {
    const get = (key: keyof typeof THEME_VARIABLES) => palette[key] ?? THEME_VARIABLES[key][1];
    const background = cssToRgb(get('background'), { r: 30, g: 30, b: 30 });
    const foreground = cssToRgb(get('foreground'), { r: 212, g: 212, b: 212 });
    this.dark = brightness(background) < 0.5;
    this.background = rgbToCss(background);
    this.foreground = rgbToCss(foreground);
    this.muted = get('muted');
    this.grid = rgbToCss(blend(background, foreground, 0.14));
    this.laneStripe = rgbToCss(blend(background, foreground, 0.035));
    this.waiting = rgbToCss(blend(background, foreground, 0.22));
    this.dimmed = rgbToCss(blend(background, foreground, 0.3));
    this.focus = get('focus');
    this.selection = get('selection');
    this.rangeShade = rgbToCss(foreground, 0.12);
    this.running = get('running');
    this.runnable = get('runnable');
    this.syscall = get('syscall');
    this.gc = get('gc');
    this.stw = get('stw');
    this.assist = rgbToCss(blend(cssToRgb(get('gc')), background, 0.35));
    this.task = get('task');
    this.region = rgbToCss(blend(cssToRgb(get('task')), background, 0.35));
    this.log = this.foreground;
    this.error = get('error');
    this.highlight = get('warning');
    this.font = `11px ${get('fontFamily')}`;
    this.monoFont = `11px ${get('monoFamily')}`;
    this.categories = categoryColours(CATEGORY_COUNT, this.dark);
  }

  static fromTheme(): TimelineColours {
    return new TimelineColours(readPalette(THEME_VARIABLES));
  }

  category(index: number): string {
    return this.categories[((index % CATEGORY_COUNT) + CATEGORY_COUNT) % CATEGORY_COUNT]!;
  }
}
