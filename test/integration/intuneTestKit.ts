// Shared helpers for the extension's integration tests (real VS Code, local Graph emulator).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';
import type { SendFileResult } from '../../src/extension/sendCommand';
import type { IntuneMaoTestApi } from '../../src/extension/extension';

export const extensionId = 'intune-mao.intune-mao';

/** What `activate` returns: a hook for the tests only. */
export type { IntuneMaoTestApi, SendFileResult };


export async function activateExtension(): Promise<IntuneMaoTestApi> {
  const extension = vscode.extensions.getExtension<IntuneMaoTestApi>(extensionId);
  assert.ok(extension, `${extensionId} is installed`);
  return extension.activate();
}

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

let fileCounter = 0;
/** Writes a file into the workspace (a scratch folder) and returns its URI. */
export async function writeWorkspaceFile(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceFolder(), 'scratch', `${++fileCounter}-${name}`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

export function operationText(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe', state: 'pending', version: '1', ...fields }, null, 2) + '\n';
}

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const userSettingKeys = ['cloud', 'clientId', 'tenant', 'graphUrl', 'signIn', 'apiVersion', 'timeoutSeconds', 'maxRetries'];

/** Sets user (global) settings of the extension; undefined removes a value. */
export async function setUserSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('intuneMao');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
}

export async function clearUserSettings(): Promise<void> {
  await setUserSettings(Object.fromEntries(userSettingKeys.map((key) => [key, undefined])));
}

/** Starts the emulator in this extension host and points the user settings at it. */
export async function startTestEmulator(options: EmulatorOptions = {}, settings: Record<string, unknown> = {}): Promise<Emulator> {
  const emulator = await startEmulator(options);
  await clearUserSettings();
  await setUserSettings({ graphUrl: emulator.url, ...settings });
  return emulator;
}

type GetSession = typeof vscode.authentication.getSession;
export interface SessionCall {
  readonly providerId: string;
  readonly scopes: readonly string[];
  readonly options: vscode.AuthenticationGetSessionOptions | undefined;
}

/**
 * Replaces `vscode.authentication.getSession` (the same object the extension uses) with one that returns a
 * session carrying `token()` and records every call. Dialogs cannot be answered in a test run.
 */
export class SignInStub implements vscode.Disposable {
  readonly calls: SessionCall[] = [];
  private readonly original: GetSession;
  /** Answers each call; replace to simulate a slow or failing sign-in. */
  answer: (call: SessionCall) => Promise<vscode.AuthenticationSession | undefined>;

  constructor(token: () => string, account = 'admin@contoso.example') {
    this.original = vscode.authentication.getSession;
    this.answer = async (call) => ({ id: 'test-session', accessToken: token(), account: { id: account, label: account }, scopes: call.scopes });
    const stub = (providerId: string, scopes: readonly string[], options?: vscode.AuthenticationGetSessionOptions): Promise<vscode.AuthenticationSession | undefined> => {
      const call = { providerId, scopes: [...scopes], options };
      this.calls.push(call);
      return this.answer(call);
    };
    (vscode.authentication as { getSession: unknown }).getSession = stub;
  }

  /** Calls that could prompt (the ones made because the person acted). */
  get interactiveCalls(): SessionCall[] {
    return this.calls.filter((c) => !c.options?.silent);
  }

  dispose(): void {
    (vscode.authentication as { getSession: unknown }).getSession = this.original;
  }
}

export interface ShownMessage {
  readonly severity: 'error' | 'warning' | 'info';
  readonly text: string;
  readonly buttons: string[];
}

/** Records notifications instead of showing them (they would never be answered in a test). */
export class MessageRecorder implements vscode.Disposable {
  readonly messages: ShownMessage[] = [];
  private readonly originals = {
    error: vscode.window.showErrorMessage,
    warning: vscode.window.showWarningMessage,
    info: vscode.window.showInformationMessage,
  };

  /** Which button "the person" clicks; none by default. */
  choose: (message: ShownMessage) => string | undefined = () => undefined;

  constructor() {
    const record = (severity: ShownMessage['severity']) => (text: string, ...rest: unknown[]): Promise<string | undefined> => {
      const message = { severity, text, buttons: rest.filter((r): r is string => typeof r === 'string') };
      this.messages.push(message);
      return Promise.resolve(this.choose(message));
    };
    const window = vscode.window as unknown as Record<string, unknown>;
    window['showErrorMessage'] = record('error');
    window['showWarningMessage'] = record('warning');
    window['showInformationMessage'] = record('info');
  }

  last(severity?: ShownMessage['severity']): ShownMessage | undefined {
    return [...this.messages].reverse().find((m) => !severity || m.severity === severity);
  }

  dispose(): void {
    const window = vscode.window as unknown as Record<string, unknown>;
    window['showErrorMessage'] = this.originals.error;
    window['showWarningMessage'] = this.originals.warning;
    window['showInformationMessage'] = this.originals.info;
  }
}

/** Lets a test cancel the progress notification the extension shows. */
export class ProgressControl implements vscode.Disposable {
  private readonly original = vscode.window.withProgress;
  readonly sources: vscode.CancellationTokenSource[] = [];

  constructor() {
    const original = this.original;
    (vscode.window as { withProgress: unknown }).withProgress = <R>(
      options: vscode.ProgressOptions,
      task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>,
    ): Thenable<R> => original(options, (progress, token) => {
      const source = new vscode.CancellationTokenSource();
      token.onCancellationRequested(() => source.cancel());
      this.sources.push(source);
      return task(progress, source.token);
    });
  }

  cancel(): void {
    for (const source of this.sources) source.cancel();
  }

  dispose(): void {
    (vscode.window as { withProgress: unknown }).withProgress = this.original;
    for (const source of this.sources) source.dispose();
  }
}

/** Output written since `before` (the channel text is only ever appended to). */
export function outputSince(api: IntuneMaoTestApi, before: number): string {
  return api.outputText().slice(before);
}

export function assertNoToken(text: string, token: string): void {
  assert.ok(!text.includes(token), 'the output does not contain the token');
  const [header, payload] = token.split('.');
  assert.ok(!text.includes(`${header}.${payload}`), 'the output does not contain the token header and payload');
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export async function send(uri?: vscode.Uri, uris?: vscode.Uri[]): Promise<SendFileResult[]> {
  const results = await vscode.commands.executeCommand<SendFileResult[] | undefined>('intuneMao.send', uri, uris);
  assert.ok(Array.isArray(results), 'the send command returns its results');
  return results;
}
