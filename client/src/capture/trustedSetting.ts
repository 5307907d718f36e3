// The value of a setting that decides where requests go or files are written (`goTraceLens.capture.folder`,
// `goTraceLens.capture.caFile`): in a trusted workspace the usual precedence (folder, workspace, user,
// default); in an untrusted one, workspace values are ignored and only user settings and the default
// count. Pure: no vscode import; the caller passes what `WorkspaceConfiguration.inspect()` returned.

export interface SettingInspection<T> {
  readonly defaultValue?: T;
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

export interface TrustedSettingValue<T> {
  readonly value: T | undefined;
  /** True when a workspace value was set but ignored because the workspace is not trusted. */
  readonly ignoredWorkspaceValue: boolean;
}

export function trustedSettingValue<T>(inspection: SettingInspection<T> | undefined, trusted: boolean): TrustedSettingValue<T> {
  if (!inspection) return { value: undefined, ignoredWorkspaceValue: false };
  const fromWorkspace = inspection.workspaceFolderValue ?? inspection.workspaceValue;
  if (trusted && fromWorkspace !== undefined) return { value: fromWorkspace, ignoredWorkspaceValue: false };
  return { value: inspection.globalValue ?? inspection.defaultValue, ignoredWorkspaceValue: !trusted && fromWorkspace !== undefined };
}
