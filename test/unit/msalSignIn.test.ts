import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { clouds } from '../../src/core/clouds';
import { resolveLoginAuthority, LoginAuthorityError } from '../../src/core/loginAuthority';
import { decodeClaimsChallenge, DeviceCodeSignIn, type DeviceCodePrompt, type DeviceCodeSignInOptions, type TokenCacheStore } from '../../src/core/msalSignIn';
import { SignInFailure } from '../../src/core/signInFailure';
import { tokenProviderOf } from '../../src/core/tokenSource';
import { startEmulator, type Emulator, sampleIds } from '../../src/emulator';
import { startIdentityEmulator, type IdentityEmulator } from '../support/identityEmulator';

const clientId = '4a1f3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';

class MemoryCache implements TokenCacheStore {
  data: string | undefined;
  writes = 0;
  async read(): Promise<string | undefined> {
    return this.data;
  }
  async write(data: string): Promise<void> {
    this.data = data;
    this.writes++;
  }
}

describe('Device code sign-in (msal-node against the identity emulator)', function () {
  this.timeout(20_000);
  let graph: Emulator;
  let idp: IdentityEmulator;
  let prompts: DeviceCodePrompt[];
  let logLines: string[];

  before(async () => {
    graph = await startEmulator();
    idp = await startIdentityEmulator({ mintAccessToken: (claims) => graph.mintToken(claims), intervalSeconds: 0.05 });
  });
  after(async () => {
    await idp.close();
    await graph.close();
  });
  beforeEach(() => {
    prompts = [];
    logLines = [];
  });
  afterEach(() => {
    const log = logLines.join('\n');
    for (const secret of [...idp.issuedAccessTokens, ...idp.issuedRefreshTokens]) {
      assert.ok(!log.includes(secret), 'a token reached the log');
    }
    assert.ok(!log.includes('admin@contoso.example'), 'personal data reached the log');
  });

  /** A sign-in whose person approves each code as soon as it is shown (or does `onPrompt`). */
  const signIn = (cache: TokenCacheStore, onPrompt?: (prompt: DeviceCodePrompt) => void, extra: Partial<DeviceCodeSignInOptions> = {}): DeviceCodeSignIn =>
    new DeviceCodeSignIn({
      cloud: clouds.global,
      clientId,
      cache,
      loginUrl: idp.url,
      trustedCertificate: idp.certificate,
      verbose: true,
      log: (line) => logLines.push(line),
      onDeviceCode: (prompt) => {
        prompts.push(prompt);
        if (onPrompt) onPrompt(prompt);
        else setTimeout(() => idp.approve(prompt.userCode), 150);
      },
      ...extra,
    });
  const tokenPolls = (): number => idp.requests.filter((r) => r.form['grant_type'] === 'device_code').length;

  it('shows the code, keeps polling while authorization is pending, and gets a token Graph accepts', async () => {
    const polls = tokenPolls();
    const result = await signIn(new MemoryCache()).getToken();
    assert.equal(prompts.length, 1);
    assert.match(prompts[0]!.message, new RegExp(`enter the code ${prompts[0]!.userCode}`));
    assert.equal(prompts[0]!.verificationUri, 'https://microsoft.com/devicelogin');
    assert.ok(prompts[0]!.expiresAt.getTime() > Date.now());
    assert.ok(tokenPolls() - polls >= 2, 'polled at least once while pending');
    assert.deepEqual(result.account, { username: 'admin@contoso.example', name: 'Contoso Admin (emulator)', tenantId: sampleIds.tenantId });
    assert.deepEqual(result.scopes, ['https://graph.microsoft.com/DeviceManagementApps.ReadWrite.All']);
    const devicecode = idp.requests.filter((r) => r.path.endsWith('/devicecode')).at(-1)!;
    assert.equal(devicecode.path, '/organizations/oauth2/v2.0/devicecode');
    assert.equal(devicecode.form['client_id'], clientId);
    assert.match(devicecode.form['scope']!, /https:\/\/graph\.microsoft\.com\/DeviceManagementApps\.ReadWrite\.All/);
    const answer = await fetch(`${graph.url}/beta/deviceAppManagement/managedAppRegistrations`, { headers: { Authorization: `Bearer ${result.accessToken}` } });
    assert.equal(answer.status, 200);
  });

  it('signs in silently from the persisted cache in a new instance (a new process)', async () => {
    const cache = new MemoryCache();
    const first = await signIn(cache).getToken();
    assert.ok(cache.data?.includes('"RefreshToken"'));
    const requestsBefore = idp.requests.length;
    const again = await signIn(cache, () => assert.fail('no prompt expected')).getToken();
    assert.equal(again.accessToken, first.accessToken);
    assert.equal(prompts.length, 1);
    assert.ok(
      idp.requests.slice(requestsBefore).every((r) => r.method === 'GET'),
      'only discovery, no token request',
    );
    assert.deepEqual(await signIn(cache).quietAccount(), first.account);
  });

  it('renews with the refresh token on forceRefresh, passing a claims challenge on as JSON', async () => {
    const cache = new MemoryCache();
    const instance = signIn(cache);
    const first = await instance.getToken();
    const challenge = Buffer.from('{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}').toString('base64');
    const renewed = await instance.getToken({ forceRefresh: true, claims: challenge });
    assert.notEqual(renewed.accessToken, first.accessToken);
    assert.equal(prompts.length, 1, 'no second prompt');
    const refresh = idp.requests.filter((r) => r.form['grant_type'] === 'refresh_token').at(-1)!;
    assert.match(refresh.form['claims']!, /"nbf"/);
    assert.equal(await tokenProviderOf(instance)({ forceRefresh: false }), renewed.accessToken);
  });

  it('falls back to a device code when the refresh token was revoked', async () => {
    const cache = new MemoryCache();
    const instance = signIn(cache);
    await instance.getToken();
    idp.revokeRefreshTokens();
    const result = await instance.getToken({ forceRefresh: true });
    assert.equal(prompts.length, 2);
    assert.equal(result.account.username, 'admin@contoso.example');
  });

  it('cancels a device code sign-in through an AbortSignal, at once, and stops polling', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const attempt = signIn(new MemoryCache(), () => setTimeout(() => controller.abort(), 100)).getToken({ forceRefresh: false }, controller.signal);
    await assert.rejects(attempt, (error: unknown) => error instanceof SignInFailure && error.reason === 'cancelled');
    assert.ok(Date.now() - started < 3000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const polls = tokenPolls();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(tokenPolls(), polls, 'MSAL stopped polling');
  });

  it('explains a missing admin consent (AADSTS65001) with what to do', async () => {
    const attempt = signIn(new MemoryCache(), (prompt) => idp.approve(prompt.userCode, { failure: 'consent' })).getToken();
    await assert.rejects(attempt, (error: unknown) => {
      assert.ok(error instanceof SignInFailure);
      assert.equal(error.reason, 'consent');
      assert.equal(error.aadsts, '65001');
      assert.match(error.message, new RegExp(`app ${clientId} has no consent for DeviceManagementApps\\.ReadWrite\\.All`));
      assert.match(error.message, /Grant admin consent/);
      assert.match(error.message, /\(AADSTS65001\)$/);
      return true;
    });
  });

  it('explains an unknown client id (AADSTS700016) answered by /devicecode, without showing a code', async () => {
    idp.failNext('devicecode', 'unknownApp');
    await assert.rejects(signIn(new MemoryCache()).getToken(), (error: unknown) => {
      assert.ok(error instanceof SignInFailure);
      assert.equal(error.reason, 'app');
      assert.match(error.message, new RegExp(`No app with client id ${clientId} exists in tenant "organizations"`));
      assert.match(error.message, /not pre-authorized/);
      return true;
    });
    assert.equal(prompts.length, 0);
  });

  it('explains disabled public client flows (AADSTS7000218), a foreign account (AADSTS50020) and a declined sign-in', async () => {
    idp.failNext('token', 'publicClientDisabled');
    await assert.rejects(signIn(new MemoryCache()).getToken(), /"Allow public client flows" to Yes.*\(AADSTS7000218\)/);
    await assert.rejects(
      signIn(new MemoryCache(), (p) => idp.approve(p.userCode, { failure: 'accountNotInTenant' })).getToken(),
      (error: unknown) => error instanceof SignInFailure && error.reason === 'account' && /not in tenant "organizations"/.test(error.message),
    );
    await assert.rejects(
      signIn(new MemoryCache(), (p) => idp.decline(p.userCode)).getToken(),
      (error: unknown) => error instanceof SignInFailure && error.reason === 'declined',
    );
  });

  it('signs out: the accounts and their tokens leave the cache', async () => {
    const cache = new MemoryCache();
    const instance = signIn(cache);
    const { accessToken } = await instance.getToken();
    const removed = await instance.signOut();
    assert.deepEqual(
      removed.map((a) => a.username),
      ['admin@contoso.example'],
    );
    assert.equal(await instance.quietAccount(), undefined);
    assert.ok(!cache.data!.includes(accessToken));
    for (const refresh of idp.issuedRefreshTokens) assert.ok(!cache.data!.includes(refresh));
    assert.equal(await signIn(cache).quietToken(), undefined);
  });

  it('sees a sign-out made elsewhere, and survives an unreadable cache', async () => {
    const cache = new MemoryCache();
    const instance = signIn(cache);
    await instance.getToken();
    cache.data = undefined;
    assert.equal(await instance.quietAccount(), undefined);
    cache.data = '{not json';
    assert.equal(await instance.quietAccount(), undefined);
    assert.ok(logLines.some((l) => /token cache could not be read/.test(l)));
  });

  it("requires a client id of our own, and refuses hosts other than the cloud's or loopback", () => {
    const base = { cloud: clouds.global, cache: new MemoryCache(), onDeviceCode: () => undefined };
    assert.throws(
      () => new DeviceCodeSignIn({ ...base, clientId: undefined }),
      (error: unknown) => error instanceof SignInFailure && error.reason === 'app' && /VS Code's own client id is not pre-authorized/.test(error.message),
    );
    assert.throws(() => new DeviceCodeSignIn({ ...base, clientId: 'not-a-guid' }), /is not a client id/);
    assert.throws(() => new DeviceCodeSignIn({ ...base, clientId, trustedCertificate: 'PEM' }), LoginAuthorityError);
    for (const url of ['https://login.evil.example', 'http://127.0.0.1:1234', 'https://user:pw@127.0.0.1:1', 'https://localhost.evil.example']) {
      assert.throws(() => new DeviceCodeSignIn({ ...base, clientId, loginUrl: url }), LoginAuthorityError, url);
    }
    for (const tenant of ['../common', 'a/b', 'x?y', 'contoso..com', '']) {
      if (tenant) assert.throws(() => resolveLoginAuthority(clouds.global, tenant), LoginAuthorityError, tenant);
    }
    assert.equal(
      new DeviceCodeSignIn({ ...base, clientId, tenant: 'contoso.onmicrosoft.com' }).authority.url,
      'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    );
    assert.equal(new DeviceCodeSignIn({ ...base, clientId }).authority.url, 'https://login.microsoftonline.com/organizations');
    const china = new DeviceCodeSignIn({ ...base, cloud: clouds.china, clientId });
    assert.equal(china.authority.url, 'https://login.chinacloudapi.cn/organizations');
    assert.deepEqual(china.scopes, ['https://microsoftgraph.chinacloudapi.cn/DeviceManagementApps.ReadWrite.All']);
  });

  it('decodes a base64 claims challenge, and leaves JSON as it is', () => {
    const json = '{"access_token":{"xms_cc":{"values":["cp1"]}}}';
    assert.equal(decodeClaimsChallenge(Buffer.from(json).toString('base64')), json);
    assert.equal(decodeClaimsChallenge(json), json);
    assert.equal(decodeClaimsChallenge(undefined), undefined);
  });

  it('loads msal-node only when a sign-in needs it', () => {
    const module = join(__dirname, '..', '..', 'src', 'core', 'msalSignIn.js');
    const script = `require(${JSON.stringify(module)}); process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('msal-node'))))`;
    assert.equal(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }), 'false');
  });
});
