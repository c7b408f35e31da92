// The integration suites' one fixture and fakes (real VS Code, local Graph emulator). The fakes replace the
// extension's ports (src/extension/ports.ts), never a property of the `vscode` module.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';
import type { IntuneMaoTestApi } from '../../src/extension/extension';
import type { SendFileResult } from '../../src/extension/features/index';
import type { InteractionPort, MessageSeverity } from '../../src/extension/ports';

export const extensionId = 'intune-mao.intune-mao';

export type { IntuneMaoTestApi, SendFileResult };

export async function activateExtension(): Promise<IntuneMaoTestApi> {
  const extension = vscode.extensions.getExtension<IntuneMaoTestApi | undefined>(extensionId);
  assert.ok(extension, `${extensionId} is installed`);
  const api = await extension.activate();
  assert.ok(api, 'a test run gets the test API (ExtensionMode.Test)');
  return api;
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
  return (
    JSON.stringify({ '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe', state: 'pending', version: '1', ...fields }, null, 2) + '\n'
  );
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

const userSettingKeys = [
  'cloud',
  'clientId',
  'tenant',
  'graphUrl',
  'signIn',
  'apiVersion',
  'timeoutSeconds',
  'maxRetries',
  'writeLimit',
  'batching',
  'runsKept',
];

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

/** Replaces one member of a port for as long as the returned function is not called. */
function replace<T extends object, K extends keyof T>(port: T, name: K, value: T[K]): () => void {
  const original = port[name];
  port[name] = value;
  return () => {
    port[name] = original;
  };
}

export interface SessionCall {
  readonly providerId: string;
  readonly scopes: readonly string[];
  readonly options: vscode.AuthenticationGetSessionOptions | undefined;
}

/** The authentication port answering with a session that carries `token()`, recording every call. */
export class SignInStub implements vscode.Disposable {
  readonly calls: SessionCall[] = [];
  private readonly restore: () => void;
  /** Answers each call; replace to simulate a slow or failing sign-in. */
  answer: (call: SessionCall) => Promise<vscode.AuthenticationSession | undefined>;

  constructor(api: IntuneMaoTestApi, token: () => string, account = 'admin@contoso.example') {
    this.answer = async (call) => ({ id: 'test-session', accessToken: token(), account: { id: account, label: account }, scopes: call.scopes });
    this.restore = replace(api.ports.authentication, 'getSession', (providerId, scopes, options) => {
      const call = { providerId, scopes: [...scopes], options };
      this.calls.push(call);
      return this.answer(call);
    });
  }

  /** Calls that could prompt (the ones made because the person acted). */
  get interactiveCalls(): SessionCall[] {
    return this.calls.filter((c) => !c.options?.silent);
  }

  dispose(): void {
    this.restore();
  }
}

export interface ShownMessage {
  readonly severity: MessageSeverity;
  readonly text: string;
  readonly buttons: string[];
}

/** Records notifications instead of showing them (they would never be answered in a test). */
export class MessageRecorder implements vscode.Disposable {
  readonly messages: ShownMessage[] = [];
  private readonly restore: () => void;
  /** Which button "the person" clicks; none by default. */
  choose: (message: ShownMessage) => string | undefined = () => undefined;

  constructor(api: IntuneMaoTestApi) {
    this.restore = replace(api.ports.interaction, 'showMessage', (severity, text, buttons) => {
      const message = { severity, text, buttons: [...buttons] };
      this.messages.push(message);
      return Promise.resolve(this.choose(message));
    });
  }

  last(severity?: MessageSeverity): ShownMessage | undefined {
    return [...this.messages].reverse().find((m) => !severity || m.severity === severity);
  }

  dispose(): void {
    this.restore();
  }
}

export interface AskedConfirmation {
  readonly message: string;
  readonly detail: string;
  readonly action: string;
}

/** Records the modal confirmations (before a run of several operations) and answers them like a person would. */
export class ConfirmationRecorder implements vscode.Disposable {
  readonly asked: AskedConfirmation[] = [];
  private readonly restore: () => void;
  /** Whether "the person" clicks the confirming button; yes by default. */
  answer: (asked: AskedConfirmation) => boolean = () => true;

  constructor(api: IntuneMaoTestApi) {
    this.restore = replace(api.ports.interaction, 'confirm', (message, detail, action) => {
      const asked = { message, detail, action };
      this.asked.push(asked);
      return Promise.resolve(this.answer(asked));
    });
  }

  dispose(): void {
    this.restore();
  }
}

/** Lets a test cancel the progress notifications the extension shows (still the real ones), and read what they said. */
export class ProgressControl implements vscode.Disposable {
  readonly sources: vscode.CancellationTokenSource[] = [];
  /** Each notification's title, and the messages it showed, in order. */
  readonly shown: Array<{ title: string; messages: string[] }> = [];
  private readonly restore: () => void;

  constructor(api: IntuneMaoTestApi) {
    const original = api.ports.interaction.withProgress.bind(api.ports.interaction);
    const withProgress: InteractionPort['withProgress'] = (options, task) =>
      original(options, (progress, token) => {
        const source = new vscode.CancellationTokenSource();
        token.onCancellationRequested(() => source.cancel());
        this.sources.push(source);
        const record = { title: options.title ?? '', messages: [] as string[] };
        this.shown.push(record);
        const reported: typeof progress = {
          report: (value) => {
            if (value.message) record.messages.push(value.message);
            progress.report(value);
          },
        };
        return task(reported, source.token);
      });
    this.restore = replace(api.ports.interaction, 'withProgress', withProgress);
  }

  cancel(): void {
    for (const source of this.sources) source.cancel();
  }

  dispose(): void {
    this.restore();
    for (const source of this.sources) source.dispose();
  }
}

type Item = vscode.QuickPickItem & { target?: { id: string } };

/** Captures the QuickPicks the extension creates (they stay the real VS Code ones). */
export class PickerSpy implements vscode.Disposable {
  readonly pickers: vscode.QuickPick<Item>[] = [];
  private readonly restore: () => void;

  constructor(api: IntuneMaoTestApi) {
    const original = api.ports.interaction.createQuickPick.bind(api.ports.interaction);
    const createQuickPick = (): vscode.QuickPick<Item> => {
      const picker = original<Item>();
      this.pickers.push(picker);
      return picker;
    };
    this.restore = replace(api.ports.interaction, 'createQuickPick', createQuickPick as InteractionPort['createQuickPick']);
  }

  dispose(): void {
    this.restore();
  }
}

/** The clipboard and the browser, as the extension reaches them: recorded instead of used. */
export class ExternalRecorder implements vscode.Disposable {
  readonly clipboard: string[] = [];
  readonly opened: string[] = [];
  private readonly restores: Array<() => void>;

  constructor(api: IntuneMaoTestApi) {
    this.restores = [
      replace(api.ports.interaction, 'writeClipboard', async (text: string) => {
        this.clipboard.push(text);
      }),
      replace(api.ports.interaction, 'openExternal', async (uri: vscode.Uri) => {
        this.opened.push(uri.toString(true));
        return true;
      }),
    ];
  }

  dispose(): void {
    for (const restore of this.restores.splice(0)) restore();
  }
}

/** Replaces the quick pick the extension shows with a choice made by `choose`. */
export function answerQuickPick(api: IntuneMaoTestApi, choose: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined): () => void {
  return replace(api.ports.interaction, 'showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => choose(items)) as InteractionPort['showQuickPick']);
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

export interface FixtureOptions {
  readonly emulator?: EmulatorOptions;
  /** User settings besides the emulator's URL. */
  readonly settings?: Record<string, unknown>;
  /** Answer sign-ins with an emulator token (default true). */
  readonly stubSignIn?: boolean;
}

/**
 * A suite's usual set-up, as mocha hooks: the extension activated, the emulator started with the user settings
 * pointing at it, sign-ins answered with a fresh emulator token and notifications recorded; between tests the
 * emulator is reset; after each test the output must not hold the token.
 */
export interface IntuneFixture {
  readonly api: IntuneMaoTestApi;
  readonly emulator: Emulator;
  /** The token the next sign-in returns; a test may set another (e.g. one lacking a scope). */
  token: string;
  readonly signIn: SignInStub;
  readonly messages: MessageRecorder;
  /** Confirmations asked during the current test, answered yes unless the test says otherwise. */
  readonly confirmations: ConfirmationRecorder;
  /** Output written during the current test. */
  output(): string;
  /** POSTs the emulator received during the current test. */
  posts(): number;
}

export function useIntuneFixture(options: FixtureOptions = {}): IntuneFixture {
  let api: IntuneMaoTestApi | undefined;
  let emulator: Emulator | undefined;
  let signIn: SignInStub | undefined;
  let messages: MessageRecorder | undefined;
  let confirmations: ConfirmationRecorder | undefined;
  let outputStart = 0;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: use the fixture inside its suite's tests`);
    return value;
  };
  const fixture: IntuneFixture = {
    get api() {
      return need(api, 'the test API');
    },
    get emulator() {
      return need(emulator, 'the emulator');
    },
    token: '',
    get signIn() {
      return need(signIn, 'the sign-in stub');
    },
    get messages() {
      return need(messages, 'the message recorder');
    },
    get confirmations() {
      return need(confirmations, 'the confirmation recorder');
    },
    output: () => outputSince(fixture.api, outputStart),
    posts: () => fixture.emulator.requests.filter((r) => r.method === 'POST').length,
  };
  before(async () => {
    api = await activateExtension();
    emulator = await startTestEmulator(options.emulator, options.settings);
    fixture.token = emulator.mintToken();
    if (options.stubSignIn !== false) signIn = new SignInStub(api, () => fixture.token);
    messages = new MessageRecorder(api);
    confirmations = new ConfirmationRecorder(api);
  });
  beforeEach(() => {
    fixture.emulator.reset();
    fixture.token = fixture.emulator.mintToken();
    signIn?.calls.splice(0);
    fixture.messages.messages.splice(0);
    fixture.messages.choose = () => undefined;
    fixture.confirmations.asked.splice(0);
    fixture.confirmations.answer = () => true;
    outputStart = fixture.api.outputText().length;
  });
  afterEach(() => {
    if (fixture.token) assertNoToken(fixture.api.outputText(), fixture.token);
  });
  after(async () => {
    signIn?.dispose();
    messages?.dispose();
    confirmations?.dispose();
    await emulator?.close();
    await clearUserSettings();
  });
  return fixture;
}
