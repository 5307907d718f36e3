// The status bar item of the active profile: its sample type (click to switch), the diff base and the
// label filter when set. Hidden while no profile is active.

import * as vscode from 'vscode';
import { ProfileCommands } from '../../../common/ids';
import type { ProfileController } from './profileController';
import { sampleTypeLabel, type ProfileKind } from '../../../core/profiles';

export class ProfileStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('goTraceLens.profile', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly profiles: ProfileController) {
    this.item.name = 'Go Trace Lens Profile';
    this.item.command = ProfileCommands.switchSampleType;
    this.subscription = profiles.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const active = this.profiles.active;
    if (!active) {
      this.item.hide();
      return;
    }
    const type = active.sampleTypes[this.profiles.state.sampleIndex];
    const base = this.profiles.base;
    const filter = this.profiles.state.labelFilter;
    // A trace-derived profile's "delay" says what was waited for ("sched wait").
    const name = type ? sampleTypeLabel(active.kind as ProfileKind, type.type) : '?';
    this.item.text = `$(flame) ${name}${base ? ' Δ' : ''}${filter ? ' $(filter)' : ''}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(`Go Trace Lens: ${active.label}\n`);
    tooltip.appendText(`Sample type: ${type?.type ?? '?'} (${type?.unit ?? '?'}). Click to switch.\n`);
    if (base) tooltip.appendText(`Compared with: ${base.label}\n`);
    if (filter) tooltip.appendText(`Label filter: ${filter}\n`);
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
