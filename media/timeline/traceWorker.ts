// Starts the decoding worker from its bundle (dist/webview/timeline.worker.js, next to this script) and
// talks to it. The Content-Security-Policy allows workers from blob: URLs and fetches from the resource
// root only, so the bundle is fetched and started from a blob, which works the same in VS Code's
// webviews, in code-server and in the component tests.

import type { FromWorker, ToWorker } from './workerProtocol';

/** The worker bundle's URL: this script's URL with `.js` replaced by `.worker.js`. */
export function workerBundleUrl(scriptUrl: string): string {
  const match = /^(.*)\.js(\?.*|#.*)?$/.exec(scriptUrl);
  if (!match) throw new Error(`The timeline script's address (${scriptUrl}) does not end in .js; cannot find its worker.`);
  return `${match[1]}.worker.js${match[2] ?? ''}`;
}

export class TraceWorker {
  private constructor(
    private readonly worker: Worker,
    private readonly blobUrl: string,
  ) {}

  /** Fetches the bundle and starts the worker; `onMessage` receives everything it posts. */
  static async start(scriptUrl: string, onMessage: (message: FromWorker) => void, onError: (message: string) => void): Promise<TraceWorker> {
    const url = workerBundleUrl(scriptUrl);
    let code: string;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      code = await response.text();
    } catch (error) {
      throw new Error(`The timeline's decoder (${url}) could not be loaded: ${error instanceof Error ? error.message : String(error)}. Reinstall the extension if this persists.`);
    }
    const blobUrl = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const worker = new Worker(blobUrl, { name: 'go-trace-lens-timeline-decoder' });
    worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      onError(`The timeline's decoder stopped: ${event.message || 'unknown error'}.`);
    };
    return new TraceWorker(worker, blobUrl);
  }

  post(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  dispose(): void {
    this.worker.terminate();
    URL.revokeObjectURL(this.blobUrl);
  }
}

/**
 * The bytes of a host message as an ArrayBuffer of their own, ready to transfer. VS Code delivers typed
 * arrays as typed arrays; a Node Buffer serialized on the way arrives as `{ type: 'Buffer', data }`.
 */
export function ownBuffer(bytes: unknown): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  if (ArrayBuffer.isView(bytes)) {
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer) return view.buffer;
    return view.slice().buffer;
  }
  const data = typeof bytes === 'object' && bytes !== null && 'data' in bytes ? (bytes as { data: unknown }).data : bytes;
  if (Array.isArray(data)) return Uint8Array.from(data as number[]).buffer;
  throw new Error(`The trace arrived from the extension in an unexpected form (${Object.prototype.toString.call(bytes)}). Reopen it; if it happens again, report it.`);
}
