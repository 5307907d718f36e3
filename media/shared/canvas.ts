// A canvas that stays sharp on high-DPI screens and follows its container's size.

export interface SizedCanvas {
  readonly canvas: HTMLCanvasElement;
  readonly context: CanvasRenderingContext2D;
  /** CSS pixels. */
  width: number;
  height: number;
  dispose(): void;
}

/** Creates a canvas filling `container`; `onResize` runs after each size change (and once at start). */
export function createSizedCanvas(container: HTMLElement, onResize: () => void): SizedCanvas {
  const canvas = document.createElement('canvas');
  canvas.style.display = 'block';
  canvas.style.width = '100%';
  canvas.style.height = '100%';
  container.appendChild(canvas);
  const context = canvas.getContext('2d', { alpha: false });
  if (!context) throw new Error('This webview cannot create a 2D canvas.');
  const sized: SizedCanvas = {
    canvas,
    context,
    width: 0,
    height: 0,
    dispose: () => observer.disconnect(),
  };
  const resize = () => {
    const ratio = window.devicePixelRatio || 1;
    const rect = container.getBoundingClientRect();
    sized.width = Math.max(1, Math.floor(rect.width));
    sized.height = Math.max(1, Math.floor(rect.height));
    canvas.width = Math.floor(sized.width * ratio);
    canvas.height = Math.floor(sized.height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    onResize();
  };
  const observer = new ResizeObserver(resize);
  observer.observe(container);
  resize();
  return sized;
}

/** Cuts `text` to fit `maxWidth` pixels with an ellipsis, for a monospace-like average `charWidth`. */
export function fitText(text: string, maxWidth: number, charWidth: number): string {
  if (maxWidth <= charWidth * 2) return '';
  const maxChars = Math.floor(maxWidth / charWidth);
  if (text.length <= maxChars) return text;
  return text.slice(0, Math.max(0, maxChars - 1)) + '…';
}
