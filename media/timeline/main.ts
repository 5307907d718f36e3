// Entry of the timeline webview (dist/webview/timeline.js): connects to the extension host, restores the
// saved UI state and hands each host message to the app. The host sends the trace's bytes after
// `ready`; the app decodes them in a worker started from timeline.worker.js, next to this script.

import type { HostToTimeline, TimelineState, TimelineToHost } from '../../common/timelineProtocol';
import { connectToHost } from '../shared/vscodeApi';
import { TimelineApp } from './timelineApp';

const script = document.currentScript as HTMLScriptElement | null;
const scriptUrl = script?.src ?? new URL('timeline.js', document.baseURI).href;
const root = document.getElementById('app') ?? document.body;
const channel = connectToHost<TimelineToHost, HostToTimeline, TimelineState>();
const app = new TimelineApp(root, scriptUrl, (message) => channel.post(message), (state) => channel.setState(state), channel.getState());
channel.onMessage((message) => app.receive(message));
