// Polling for what the page cannot be asked about directly (files on disk, logs, computed values).

/** Resolves to the first truthy value of `predicate` (polled every 100 ms), or fails naming `what`. */
export async function waitFor(predicate, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
