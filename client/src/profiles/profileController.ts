// The client's handle on the server's profiles: requests, the current state, and an event when it
// changes (from any command, a capture, or the server itself). The state comes from one place, the
// server's ProfileStateChanged notification, which arrives before the answer to the request that changed
// it; requests answer only whether they worked.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ProfileContextKeys } from '../../../common/ids';
import {
  LoadProfileRequest, ProfileStateChangedNotification, UpdateProfileViewRequest,
  type LoadProfileParams, type LoadProfileResult, type LoadedProfile, type ProfileState, type UpdateProfileViewParams,
} from '../../../common/profileProtocol';
import { onNotification, send } from '../lspMessages';

export class ProfileController implements vscode.Disposable {
  private current: ProfileState = { profiles: [], activeId: null, sampleIndex: 0, baseId: null, labelFilter: null, total: 0 };
  private readonly changed = new vscode.EventEmitter<ProfileState>();
  /** Fires after every change of the loaded profiles or the view. */
  readonly onDidChange = this.changed.event;

  constructor(readonly client: LanguageClient, private readonly output: vscode.LogOutputChannel) {
    onNotification(client, ProfileStateChangedNotification, (state) => this.set(state));
  }

  get state(): ProfileState {
    return this.current;
  }

  get active(): LoadedProfile | undefined {
    return this.current.profiles.find((p) => p.id === this.current.activeId);
  }

  get base(): LoadedProfile | undefined {
    return this.current.profiles.find((p) => p.id === this.current.baseId);
  }

  private set(state: ProfileState): void {
    this.current = state;
    void vscode.commands.executeCommand('setContext', ProfileContextKeys.active, state.activeId !== null);
    void vscode.commands.executeCommand('setContext', ProfileContextKeys.diffing, state.baseId !== null);
    void vscode.commands.executeCommand('setContext', ProfileContextKeys.filtered, state.labelFilter !== null);
    this.changed.fire(state);
  }

  /** Loads a profile file; the caller reports a failure. */
  tryLoad(params: LoadProfileParams): Promise<LoadProfileResult> {
    return send(this.client, LoadProfileRequest, params);
  }

  /** Loads a profile file; errors are shown with what to do. Returns the profile or undefined. */
  async load(params: LoadProfileParams): Promise<LoadedProfile | undefined> {
    const result = await this.tryLoad(params);
    if (!result.ok) {
      this.output.warn(`Could not open ${params.path}: ${result.message}`);
      void vscode.window.showErrorMessage(result.message, 'Show Output').then((c) => c && this.output.show());
      return undefined;
    }
    return result.profile;
  }

  /** Changes the view (active profile, sample type, base, label filter); shows why when it cannot. */
  async update(change: UpdateProfileViewParams): Promise<boolean> {
    const result = await send(this.client, UpdateProfileViewRequest, change);
    if (!result.ok) void vscode.window.showErrorMessage(result.message);
    return result.ok;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
