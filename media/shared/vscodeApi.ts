// The webview side of the host channel: typed postMessage in both directions, a `ready` handshake, and
// UI state kept through VS Code's getState/setState (it survives the panel being hidden).

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export interface HostChannel<ToHost, FromHost, State> {
  post(message: ToHost): void;
  onMessage(handler: (message: FromHost) => void): void;
  getState(): State | undefined;
  setState(state: State): void;
}

let api: VsCodeApi<unknown> | undefined;

/** Connects to the extension host; posts `{ type: 'ready' }` once handlers can receive messages. */
export function connectToHost<ToHost extends { type: string }, FromHost extends { type: string }, State>(): HostChannel<ToHost, FromHost, State> {
  api ??= acquireVsCodeApi<unknown>();
  const vscode = api as VsCodeApi<State>;
  const handlers: ((message: FromHost) => void)[] = [];
  window.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as FromHost | undefined;
    if (!data || typeof data !== 'object' || typeof data.type !== 'string') return;
    for (const handler of handlers) handler(data);
  });
  return {
    post: (message) => vscode.postMessage(message),
    onMessage: (handler) => {
      handlers.push(handler);
      if (handlers.length === 1) vscode.postMessage({ type: 'ready' });
    },
    getState: () => vscode.getState(),
    setState: (state) => vscode.setState(state),
  };
}
