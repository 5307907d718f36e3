// Which code runs for a component's lifetime rather than for a request, by the names Go code gives it:
// constructors (`NewClient`, `FromConfig`), starters and loops (`Start`, `Run`, `Serve`), teardown (`Close`, `Stop`,
// `Shutdown`, `Deactivate`). A root context made there belongs to the component (a client's background context, a
// shutdown timeout), no request's trace is cut short by it, and no caller's context should be threaded
// into it. Shared by the rules on root contexts and the workspace index behind call-chain-break.

/** Prefixes of lifetime functions, followed by the end of the name or a new word (`NewX`, `startLoop`). */
const LIFETIME_PREFIX = /^(New|new|Must|must|Start|start|Run|run|Listen|listen|Open|open|Init|init|Setup|setup|Launch|launch|Bootstrap|bootstrap|Register|register|Close|close|Stop|stop|Shutdown|shutdown|Main|main|Default|default|Halt|halt|Drain|drain|Cleanup|cleanup|Teardown|teardown|Deactivate|deactivate|Deregister|deregister|Unregister|unregister|Dispose|dispose|From)([A-Z0-9_]|$)/;
/** Whole names of lifetime functions whose prefix alone also starts request handlers (`serveOrder`). */
const LIFETIME_NAME = /^(Serve|ListenAndServe|ListenAndServeTLS|ServeTLS)$/;

/** Whether a function or method (its name without the receiver) runs for a component's lifetime. */
export function isLifetimeFunction(name: string): boolean {
  return LIFETIME_PREFIX.test(name) || LIFETIME_NAME.test(name);
}

/**
 * Whether a call named `name` sets up or tears down something long-lived (`Listen`, `DialContext`,
 * `Shutdown`, `NewClient`, `ForceFlush`): the listener, connection or component outlives the call, or is
 * being stopped, so a fresh context there is deliberate.
 */
export function isLifetimeCall(name: string): boolean {
  return isLifetimeFunction(name) || /^(Dial|dial)([A-Z]|$)|^(Listen|ListenPacket|ForceFlush|Flush)$/.test(name);
}
