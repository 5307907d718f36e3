// Theme colours for canvas-drawn webviews. VS Code exposes the current theme as `--vscode-*` CSS
// variables on the webview's <html>; a canvas cannot use CSS, so the colours are read into a palette
// and read again whenever VS Code switches theme (it rewrites the body's class and style).

export type Palette = Readonly<Record<string, string>>;

/** Reads `--vscode-<name>` for each name, falling back to the given colour when the theme lacks it. */
export function readPalette(names: Readonly<Record<string, readonly [variable: string, fallback: string]>>): Palette {
  const style = getComputedStyle(document.documentElement);
  const palette: Record<string, string> = {};
  for (const [key, [variable, fallback]] of Object.entries(names)) {
    const value = style.getPropertyValue(`--vscode-${variable}`).trim();
    palette[key] = value || fallback;
  }
  return palette;
}

/** Calls `onChange` after VS Code changes the theme; returns a function that stops watching. */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-id'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
