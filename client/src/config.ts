// The extension's settings as VS Code holds them, read only through the schema (common/settings.ts):
// every value validated (an invalid one gives the default, and the log says why, once), and a restricted
// setting's workspace value ignored until the workspace is trusted.

import * as vscode from 'vscode';
import { trustedSettingValue, type Setting, type SettingInspection, type SettingReader } from '../../common/settings';

export class Config {
  private readonly warned = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  private readonly warn = (message: string): void => {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.log.warn(message);
  };

  /** A setting's value (of user settings and the default only, for a restricted one in an untrusted workspace). */
  readonly get: SettingReader = (setting) => this.read(setting).value;

  /** A setting's value, and whether a workspace value was ignored because the workspace is not trusted. */
  read<T>(setting: Setting<T>): { readonly value: T; readonly ignoredWorkspaceValue: boolean } {
    const config = vscode.workspace.getConfiguration();
    if (!setting.restricted) return { value: setting.read(config.get(setting.key), this.warn), ignoredWorkspaceValue: false };
    const chosen = trustedSettingValue(config.inspect(setting.key), vscode.workspace.isTrusted);
    return { value: setting.read(chosen.value, this.warn), ignoredWorkspaceValue: chosen.ignoredWorkspaceValue };
  }

  /** Each scope's raw value, for a setting whose entries are checked scope by scope (the endpoints). */
  inspect(setting: Setting<unknown>): SettingInspection<unknown> {
    return vscode.workspace.getConfiguration().inspect(setting.key) ?? {};
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  update<T>(setting: Setting<T>, value: T, target: vscode.ConfigurationTarget): Thenable<void> {
    return vscode.workspace.getConfiguration().update(setting.key, value, target);
  }

  /** Whether a configuration change concerns the setting, or every setting under a prefix ("goTraceLens.timeline"). */
  affects(event: vscode.ConfigurationChangeEvent, setting: Setting<unknown> | string): boolean {
    return event.affectsConfiguration(typeof setting === 'string' ? setting : setting.key);
  }
}
