// The profiles behind the profile features (requests, CodeLens, hover, pile-ups): made at initialize for
// the workspace folders, reconfigured when the folders or the `goTraceLens.profile.*` settings change.
// After every change the client hears the new state (ProfileStateChanged: the one place it takes it
// from), the editor is asked to refresh its lenses, and the features that follow profiles are told.

import { CodeLensRefreshRequest, type Connection } from 'vscode-languageserver';
import { ProfileStateChangedNotification } from '../../../common/profileProtocol';
import { notify } from '../lsp/handlers';
import { parseProfileSettings } from '../lsp/settings';
import { ProfileModel, type ProfileHost } from '../profiles/profileModel';

export class ProfileSession {
  private current?: ProfileModel;
  private canRefreshLenses = false;
  private folders: readonly string[] = [];
  private rawSettings: unknown;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly host: ProfileHost,
  ) {}

  /** The profiles, once the server has initialized. */
  get model(): ProfileModel | undefined {
    return this.current;
  }

  initialize(workspaceFolders: readonly string[], canRefreshLenses: boolean): void {
    this.folders = workspaceFolders;
    this.canRefreshLenses = canRefreshLenses;
    this.current = new ProfileModel(this.host, workspaceFolders, this.parse(this.rawSettings));
    // Source resolution (also used by the timeline) works before any profile is loaded or settings read.
    void this.configure(this.rawSettings);
  }

  /** The workspace folders changed: sources resolve against the new set. */
  foldersChanged(workspaceFolders: readonly string[]): Promise<void> {
    this.folders = workspaceFolders;
    return this.configure(this.rawSettings);
  }

  /** The raw `goTraceLens` section, validated here. */
  async configure(raw: unknown): Promise<void> {
    this.rawSettings = raw;
    if (!this.current) return;
    await this.current.configure(this.folders, this.parse(raw));
    this.changed();
  }

  private parse(raw: unknown) {
    return parseProfileSettings(raw, (message) => this.connection.console.warn(message));
  }

  /** Runs after every change of the profiles. */
  onDidChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** After any change: tell the client, refresh lenses, and the features that follow profiles. */
  changed(): void {
    if (this.current) void notify(this.connection, ProfileStateChangedNotification, this.current.state());
    this.refreshLenses();
    for (const listener of this.listeners) listener();
  }

  /** Asks the editor to ask for every document's lenses again, when it can be asked. */
  refreshLenses(): void {
    if (this.canRefreshLenses) this.connection.sendRequest(CodeLensRefreshRequest.type).then(undefined, () => undefined);
  }
}
