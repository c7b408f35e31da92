import * as assert from 'node:assert/strict';
import * as tls from 'node:tls';
import * as vscode from 'vscode';
import { type Emulator, sampleIds } from '../../src/emulator';
import { startIdentityEmulator, type EntraFailure, type IdentityEmulator } from '../support/identityEmulator';
import {
  activateExtension,
  answerQuickPick,
  assertNoToken,
  clearUserSettings,
  closeAllEditors,
  ExternalRecorder,
  MessageRecorder,
  operationText,
  outputSince,
  ProgressControl,
  send,
  startTestEmulator,
  waitFor,
  writeWorkspaceFile,
  type IntuneMaoTestApi,
  type ShownMessage,
} from './intuneTestKit';

const registrationId = sampleIds.registrations.meganAndroidOutlook;
const clientId = '4a1f3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
const copyAndOpen = 'Copy code & open browser';

/** Node 24's process-wide CA list (what NODE_EXTRA_CA_CERTS sets at start), so the real sign-in code trusts the emulator. */
type CaControls = { getCACertificates(type: 'default'): string[]; setDefaultCACertificates(certs: string[]): void };

// US Government L4 signs in through the "microsoft-sovereign-cloud" provider, which VS Code only registers when
// microsoft-sovereign-cloud.environment is set: here it is genuinely missing, as the Microsoft provider is in
// some hosts. Nothing about VS Code's authentication is stubbed.
describe("Device code sign-in when VS Code's provider is missing", function () {
  this.timeout(120_000);
  let api: IntuneMaoTestApi;
  let graph: Emulator;
  let idp: IdentityEmulator;
  let messages: MessageRecorder;
  let progress: ProgressControl;
  let originalCertificates: string[] | undefined;
  let external: ExternalRecorder;
  /** What the person does when the code is shown: approve it (the default), approve into a failure, or nothing. */
  let browserStep: 'approve' | 'ignore' | EntraFailure = 'approve';

  const codeIn = (message: ShownMessage): string | undefined => /enter the code ([A-Z0-9]+) to authenticate/.exec(message.text)?.[1];
  const prompts = (): ShownMessage[] => messages.messages.filter((m) => m.buttons.includes(copyAndOpen));
  const posts = (): number => graph.requests.filter((r) => r.method === 'POST').length;

  before(async function () {
    const controls = tls as unknown as Partial<CaControls>;
    if (typeof controls.setDefaultCACertificates !== 'function' || typeof controls.getCACertificates !== 'function') this.skip();
    api = await activateExtension();
    graph = await startTestEmulator({}, { cloud: 'usgov', clientId });
    idp = await startIdentityEmulator({ mintAccessToken: (claims) => graph.mintToken(claims), intervalSeconds: 0.1 });
    originalCertificates = controls.getCACertificates('default');
    controls.setDefaultCACertificates([...originalCertificates, idp.certificate]);
    process.env['INTUNE_MAO_LOGIN_URL'] = idp.url;

    external = new ExternalRecorder(api);
    messages = new MessageRecorder(api);
    messages.choose = (message) => {
      const code = codeIn(message);
      if (!code) return undefined;
      if (browserStep === 'approve') idp.approve(code);
      else if (browserStep !== 'ignore') idp.approve(code, { failure: browserStep });
      return browserStep === 'ignore' ? undefined : copyAndOpen;
    };
    progress = new ProgressControl(api);
  });

  after(async () => {
    delete process.env['INTUNE_MAO_LOGIN_URL'];
    if (originalCertificates) (tls as unknown as CaControls).setDefaultCACertificates(originalCertificates);
    external?.dispose();
    messages?.dispose();
    progress?.dispose();
    await idp?.close();
    await graph?.close();
    await clearUserSettings();
    await closeAllEditors();
  });

  beforeEach(() => {
    browserStep = 'approve';
    messages.messages.length = 0;
    graph.reset();
  });

  afterEach(() => {
    for (const token of [...idp.issuedAccessTokens, ...idp.issuedRefreshTokens]) assertNoToken(api.outputText(), token);
  });

  it('signs in with a device code ("Copy code & open browser") and sends with that token', async () => {
    const start = api.outputText().length;
    const [result] = await send(await writeWorkspaceFile('device-code.mao.json', operationText({ $registrationId: registrationId })));
    assert.equal(result?.outcome, 'created', result?.message);
    const [prompt] = prompts();
    assert.ok(prompt, 'the code was shown');
    assert.match(prompt.text, /open the page https:\/\/microsoft\.com\/devicelogin and enter the code [A-Z0-9]{9}/);
    assert.match(prompt.text, /signs in with a device code/);
    assert.deepEqual(external.clipboard, [codeIn(prompt)]);
    assert.deepEqual(external.opened, ['https://microsoft.com/devicelogin']);
    const post = graph.requests.find((r) => r.method === 'POST')!;
    const token = post.headers['authorization']!.replace('Bearer ', '');
    assert.ok(idp.issuedAccessTokens.includes(token), 'the token came from the identity emulator');
    assert.equal(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).aud, 'https://graph.microsoft.us');
    const log = outputSince(api, start);
    assert.match(log, /cannot sign in with "microsoft-sovereign-cloud" here.*signing in with a device code instead \(client id 4a1f3c2e/);
    const devicecode = idp.requests.find((r) => r.path.endsWith('/devicecode'))!;
    assert.equal(devicecode.form['client_id'], clientId);
    assert.match(devicecode.form['scope']!, /https:\/\/graph\.microsoft\.us\/DeviceManagementApps\.ReadWrite\.All/);
  });

  it('sends again silently from the token cache in SecretStorage, and shows the account in the status bar', async () => {
    const uri = await writeWorkspaceFile('silent.mao.json', operationText({ $registrationId: registrationId }));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'created', result?.message);
    assert.equal(prompts().length, 0, 'no new code');
    const text = await waitFor(() => api.statusBarText()?.includes('admin@contoso.example') && api.statusBarText(), 'the account in the status bar');
    assert.match(text, /admin@contoso\.example · 6448f725… · US Government L4 \(GCC High\) \(emulator\)/);
  });

  it('after Sign Out, the next send shows a new code; cancelling its progress sends nothing', async () => {
    const restorePick = answerQuickPick(api, (items) => items.find((item) => /Sign Out/.test(item.label)));
    try {
      await vscode.commands.executeCommand('intuneMao.signOut');
    } finally {
      restorePick();
    }
    assert.match(messages.last('info')?.text ?? '', /Signed out of admin@contoso\.example: its tokens were removed/);

    browserStep = 'ignore';
    const sending = send(await writeWorkspaceFile('cancelled.mao.json', operationText({ $registrationId: registrationId })));
    await waitFor(() => prompts().length === 1, 'a new code');
    progress.cancel();
    const [result] = await sending;
    assert.equal(result?.outcome, 'skipped', result?.message);
    assert.match(result?.message ?? '', /cancelled/);
    assert.equal(posts(), 0);
  });

  it('explains a missing admin consent (AADSTS65001) and sends nothing; the next approved code works', async () => {
    browserStep = 'consent';
    const [refused] = await send(await writeWorkspaceFile('consent.mao.json', operationText({ $registrationId: registrationId })));
    assert.equal(refused?.outcome, 'failed');
    assert.match(refused?.message ?? '', /has no consent for DeviceManagementApps\.ReadWrite\.All.*Grant admin consent.*AADSTS65001/);
    assert.match(messages.last('error')?.text ?? '', /Grant admin consent/);
    assert.equal(posts(), 0);

    // Leaves this window signed in, as the suites after this one expect.
    browserStep = 'approve';
    const [result] = await send(await writeWorkspaceFile('after-consent.mao.json', operationText({ $registrationId: registrationId })));
    assert.equal(result?.outcome, 'created', result?.message);
  });
});
