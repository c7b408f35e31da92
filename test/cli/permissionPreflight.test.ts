import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleRegistrations, startEmulator, type Emulator, sampleIds } from '../../src/emulator';
import { startIdentityEmulator, type IdentityEmulator } from '../support/identityEmulator';
import { runCli, type CliRun } from '../support/runCli';

const tenant = sampleIds.tenantId;
const appId = sampleIds.clientAppId;

describe('intune-mao refuses a token that lacks the permission, before sending anything', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let dir: string;
  const registrationId = String(sampleRegistrations[0]!['id']);
  const tokens: string[] = [];

  before(async () => {
    emulator = await startEmulator();
    dir = mkdtempSync(join(tmpdir(), 'mao-preflight-'));
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => emulator.reset());

  const delegated = (scp: string): string => remember(emulator.mintToken({ scp }));
  const appOnly = (roles: string[]): string =>
    remember(emulator.mintToken({ scp: undefined, upn: undefined, name: undefined, roles, idtyp: 'app', app_displayname: 'Contoso pipeline' }));
  function remember(token: string): string {
    tokens.push(token);
    return token;
  }
  const cli = async (token: string, args: string[]): Promise<CliRun> => {
    const run = await runCli([...args, '--graph-url', emulator.url], { INTUNE_MAO_ACCESS_TOKEN: token });
    for (const t of tokens) assert.ok(!run.stdout.includes(t) && !run.stderr.includes(t), 'a token appeared in the output');
    return run;
  };
  const send = (token: string, ...extra: string[]): Promise<CliRun> => {
    const body = join(dir, 'wipe.mao.json');
    writeFileSync(body, JSON.stringify({ $registrationId: registrationId, displayName: 'Wipe corporate data', state: 'pending' }));
    return cli(token, ['send', body, ...extra]);
  };
  const graphRequests = (): number => emulator.requests.length;

  it('a delegated token with only the read scope: send exits 2, nothing reaches Graph, the message says what it has and what to do', async () => {
    const run = await send(delegated('DeviceManagementApps.Read.All User.Read'));
    assert.equal(run.code, 2);
    assert.equal(graphRequests(), 0, 'no request at all');
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      /cannot create managed app operations on Graph beta: it carries none of DeviceManagementApps\.ReadWrite\.All, DeviceManagementConfiguration\.ReadWrite\.All/,
    );
    assert.match(
      run.stderr,
      new RegExp(
        `delegated token with the scopes "DeviceManagementApps\\.Read\\.All User\\.Read" for admin@contoso\\.example in tenant ${tenant}, issued to the app ${appId}`,
      ),
    );
    assert.match(
      run.stderr,
      /Delegated permissions → DeviceManagementApps\.ReadWrite\.All and grant admin consent; then get a new token for INTUNE_MAO_ACCESS_TOKEN/,
    );
    assert.match(run.stderr, /Nothing was sent\./);
  });

  it('a delegated token with the read-write scope goes through (201)', async () => {
    const run = await send(delegated('User.Read DeviceManagementApps.ReadWrite.All'), '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.lines[0]!['status'], 201);
  });

  it('an app-only token: refused with read roles (naming roles, app and tenant), sent with the read-write role', async () => {
    const refused = await send(appOnly(['DeviceManagementApps.Read.All']), '--json');
    assert.equal(refused.code, 2);
    assert.equal(graphRequests(), 0);
    assert.equal(refused.stdout, '', 'no JSON line: nothing was attempted');
    assert.match(
      refused.stderr,
      new RegExp(`app-only token with the roles "DeviceManagementApps\\.Read\\.All" for the app Contoso pipeline \\(${appId}\\) in tenant ${tenant}`),
    );
    assert.match(refused.stderr, /Application permissions → DeviceManagementApps\.ReadWrite\.All/);

    const sent = await send(appOnly(['DeviceManagementApps.ReadWrite.All']), '--json');
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.lines[0]!['outcome'], 'created');
  });

  it('DeviceManagementConfiguration.ReadWrite.All sends on beta and is refused on v1.0', async () => {
    const token = delegated('DeviceManagementConfiguration.ReadWrite.All');
    const beta = await send(token, '--json');
    assert.equal(beta.code, 0, beta.stderr);
    emulator.reset();
    const v1 = await send(token, '--api-version', 'v1.0');
    assert.equal(v1.code, 2);
    assert.equal(graphRequests(), 0);
    assert.match(v1.stderr, /on Graph v1\.0: it carries none of DeviceManagementApps\.ReadWrite\.All\./);
  });

  it('registrations and operations need a read or read-write permission', async () => {
    const none = delegated('User.Read');
    const registrations = await cli(none, ['registrations']);
    assert.equal(registrations.code, 2);
    assert.match(
      registrations.stderr,
      /cannot list managed app registrations or their operations on Graph beta: it carries none of DeviceManagementApps\.Read\.All, DeviceManagementApps\.ReadWrite\.All, DeviceManagementConfiguration\.ReadWrite\.All/,
    );
    assert.match(registrations.stderr, /Delegated permissions → DeviceManagementApps\.Read\.All/);
    const operations = await cli(none, ['operations', registrationId]);
    assert.equal(operations.code, 2);
    assert.equal(graphRequests(), 0);

    assert.equal((await cli(delegated('DeviceManagementApps.Read.All'), ['registrations', '--json'])).code, 0);
    assert.equal((await cli(appOnly(['DeviceManagementApps.Read.All']), ['operations', registrationId, '--json'])).code, 0);
    assert.ok(graphRequests() > 0);
  });

  it('an opaque token is never refused by the pre-flight: Graph answers it', async () => {
    const opaque = remember('EwBwA8l6BAAUbDba3x2OMJElkF7gJ4z/VbCPEz0AAb2kCHIAbmQ0yGxmZxA=');
    const run = await send(opaque, '--json');
    assert.equal(graphRequests(), 1, 'the request was sent');
    assert.equal(run.lines[0]!['status'], 401, 'the emulator, like Graph, refuses what it cannot read');
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stderr, /carries none of/);
    const list = await cli(opaque, ['registrations']);
    assert.equal(list.code, 1);
    assert.doesNotMatch(list.stderr, /carries none of/);
  });

  it('--dry-run needs no token, so nothing is checked', async () => {
    const run = await send(delegated('User.Read'), '--dry-run');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(graphRequests(), 0);
  });
});

describe("intune-mao checks a device code sign-in's token the same way", function () {
  this.timeout(30_000);
  const clientId = '4a1f3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
  let graph: Emulator;
  let idp: IdentityEmulator;
  let home: string;

  before(async () => {
    graph = await startEmulator();
    // An identity provider that issues tokens with only User.Read, whatever was asked for.
    idp = await startIdentityEmulator({ mintAccessToken: (claims) => graph.mintToken({ ...claims, scp: 'User.Read' }), intervalSeconds: 0.05 });
    home = mkdtempSync(join(tmpdir(), 'mao-preflight-signin-'));
  });
  after(async () => {
    await idp.close();
    await graph.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses it before sending and says to sign in again with the client id', async () => {
    const body = join(home, 'wipe.mao.json');
    writeFileSync(body, JSON.stringify({ $registrationId: String(sampleRegistrations[0]!['id']), displayName: 'Wipe' }));
    let approved = false;
    const run = await runCli(
      ['send', body, '--graph-url', graph.url, '--client-id', clientId],
      {
        XDG_CONFIG_HOME: home,
        NODE_EXTRA_CA_CERTS: idp.certificateFile,
        INTUNE_MAO_LOGIN_URL: idp.url,
      },
      {
        onStderr: (text) => {
          const code = /enter the code ([A-Z0-9]+) to authenticate/.exec(text)?.[1];
          if (code && !approved) {
            approved = true;
            idp.approve(code);
          }
        },
      },
    );
    assert.ok(approved, 'the device code was shown and approved');
    assert.equal(run.code, 2);
    assert.equal(graph.requests.length, 0);
    assert.match(run.stderr, /delegated token with the scopes "User\.Read"/);
    assert.match(run.stderr, new RegExp(`then sign in again: intune-mao logout, then intune-mao login --client-id ${clientId}`));
    for (const token of idp.issuedAccessTokens) assert.ok(!run.stderr.includes(token) && !run.stdout.includes(token));
  });
});
