// Entry of the flame graph webview (dist/webview/flamegraph.js): connects to the extension host, restores
// the saved UI state, and hands each host message to the view. The host sends `load` after `ready`.

import type { FlameGraphState, FlameGraphToHost, HostToFlameGraph } from '../../common/flameGraphProtocol';
import { connectToHost } from '../shared/vscodeApi';
import { FlameGraphView } from './flameGraphView';

const root = document.getElementById('app') ?? document.body;
const channel = connectToHost<FlameGraphToHost, HostToFlameGraph, FlameGraphState>();
const view = new FlameGraphView(root, (message) => channel.post(message), (state) => channel.setState(state), channel.getState());

channel.onMessage((message) => {
  switch (message.type) {
    case 'load':
      view.load(message.data, message.summary);
      break;
    case 'reveal':
      view.reveal(message.functionName);
      break;
    case 'empty':
      view.showEmpty(message.message, message.offerOpenAsText === true);
      break;
  }
});
