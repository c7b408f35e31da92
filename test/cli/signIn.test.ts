import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, sampleIds } from '../../src/emulator';
import { startIdentityEmulator, type EntraFailure, type IdentityEmulator } from '../support/identityEmulator';
import { runCli, type CliRun } from '../support/runCli';

const clientId = '4a1f3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';

describe('intune-mao CLI device code sign-in against the identity emulator', function () {
  this.timeout(30_000);
  let graph: Emulator;
  let idp: IdentityEmulator;
  let home: string;
  let registrationId: string;
  const outputs: CliRun[] = [];

  before(async () => {
    graph = await startEmulator();
    idp = await startIdentityEmulator({ mintAccessToken: (claims) => graph.mintToken(claims), intervalSeconds: 0.05 });
    home = mkdtempSync(join(tmpdir(), 'mao-signin-'));
    const first = await fetch(`${graph.url}/beta/deviceAppManagement/managedAppRegistrations`, { headers: { Authorization: `Bearer ${graph.mintToken()}` } });
    registrationId = ((await first.json()) as { value: { id: string }[] }).value[0]!.id;
  });
  after(async () => {
    // Nothing the CLI printed, and no file it left next to the cache, holds a token it was given.
    const secrets = [...idp.issuedAccessTokens, ...idp.issuedRefreshTokens];
    assert.ok(secrets.length >= 2);
    for (const run of outputs) {
      for (const secret of secrets) assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), 'a token appeared in the CLI output');
      assert.doesNotMatch(run.stdout + run.stderr, /eyJ[A-Za-z0-9_-]{10,}\.eyJ/, 'something shaped like a JWT appeared in the output');
    }
    rmSync(home, { recursive: true, force: true });
    await idp.close();
    await graph.close();
  });

  const configDir = (): string => join(home, 'intune-mao');
  const cacheFile = (): string => join(configDir(), 'msal-cache.json');
  const baseEnv = (): Record<string, string | undefined> => ({
    XDG_CONFIG_HOME: home,
    NODE_EXTRA_CA_CERTS: idp.certificateFile,
    INTUNE_MAO_LOGIN_URL: idp.url,
  });
  const cli = async (args: string[], env: Record<string, string | undefined> = {}, options: Parameters<typeof runCli>[2] = {}): Promise<CliRun> => {
    const run = await runCli(args, { ...baseEnv(), ...env }, options);
    outputs.push(run);
    return run;
  };
  /** Runs a command that shows a device code, and does the browser step (approve, or approve into a failure) when the code appears on stderr. */
  const withBrowserStep = (args: string[], env: Record<string, string | undefined> = {}, failure?: EntraFailure): Promise<CliRun> => {
    let done = false;
    return cli(args, env, {
      onStderr: (text) => {
        const code = /enter the code ([A-Z0-9]+) to authenticate/.exec(text)?.[1];
        if (code && !done) {
          done = true;
          idp.approve(code, failure ? { failure } : {});
        }
      },
    });
  };
  const operationFile = (): string => {
    const path = join(home, `op-${Date.now()}.mao.json`);
    writeFileSync(
      path,
      JSON.stringify({ $registrationId: registrationId, '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe', state: 'pending' }),
    );
    return path;
  };

  it('says how to sign in when there is neither a token nor a client id', async () => {
    graph.reset();
    const run = await cli(['send', operationFile(), '--graph-url', graph.url]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /No access token\. Set INTUNE_MAO_ACCESS_TOKEN/);
    assert.match(run.stderr, /--client-id/);
    assert.equal(graph.requests.length, 0);
  });

  it('login shows the code on stderr only, and finishes when the person approves', async () => {
    const run = await withBrowserStep(['login', '--client-id', clientId, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /To sign in, use a web browser to open the page https:\/\/microsoft\.com\/devicelogin and enter the code [A-Z0-9]{9} to authenticate\./,
    );
    assert.equal(run.lines.length, 1, 'stdout holds one JSON line');
    assert.doesNotMatch(run.stdout, /devicelogin|enter the code/);
    assert.equal(run.lines[0]!['account'], 'admin@contoso.example');
    assert.equal(run.lines[0]!['tenantId'], sampleIds.tenantId);
    assert.deepEqual(run.lines[0]!['scopes'], ['https://graph.microsoft.com/DeviceManagementApps.ReadWrite.All']);
    assert.equal(run.lines[0]!['tokenCache'], cacheFile());
  });

  it('keeps the token cache readable by its owner only, with nothing left beside it', () => {
    assert.equal(statSync(cacheFile()).mode & 0o777, 0o600);
    assert.equal(statSync(configDir()).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(configDir()), ['msal-cache.json']);
    assert.deepEqual(
      readdirSync(home).filter((name) => !name.endsWith('.mao.json')),
      ['intune-mao'],
    );
  });

  it('send works without INTUNE_MAO_ACCESS_TOKEN, silently from the cache', async () => {
    graph.reset();
    const before = idp.requests.filter((r) => r.path.endsWith('/devicecode')).length;
    const run = await cli(['send', operationFile(), '--graph-url', graph.url, '--json'], { INTUNE_MAO_CLIENT_ID: clientId });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.lines[0]!['outcome'], 'created');
    assert.doesNotMatch(run.stderr, /enter the code/);
    assert.equal(idp.requests.filter((r) => r.path.endsWith('/devicecode')).length, before, 'no new device code');
    const post = graph.requests.find((r) => r.method === 'POST')!;
    assert.ok(idp.issuedAccessTokens.includes(post.headers['authorization']!.replace('Bearer ', '')));
  });

  it('in CI, signs in silently from the cache but never waits for a device code', async () => {
    graph.reset();
    const silent = await cli(['send', operationFile(), '--graph-url', graph.url, '--json'], { INTUNE_MAO_CLIENT_ID: clientId, CI: 'true' });
    assert.equal(silent.code, 0, silent.stderr);
    const emptyHome = mkdtempSync(join(tmpdir(), 'mao-ci-'));
    try {
      const codesBefore = idp.requests.filter((r) => r.path.endsWith('/devicecode')).length;
      const started = Date.now();
      const run = await cli(['send', operationFile(), '--graph-url', graph.url], { INTUNE_MAO_CLIENT_ID: clientId, CI: 'true', XDG_CONFIG_HOME: emptyHome });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /nobody can enter a device code here \(CI\)/);
      assert.ok(Date.now() - started < 10_000);
      assert.equal(idp.requests.filter((r) => r.path.endsWith('/devicecode')).length, codesBefore, 'no device code was requested');
      assert.equal(graph.requests.filter((r) => r.method === 'POST').length, 1, 'only the silent send reached Graph');
    } finally {
      rmSync(emptyHome, { recursive: true, force: true });
    }
  });

  it('answers a claims challenge by renewing with the refresh token, then sends', async () => {
    graph.reset();
    const claims = Buffer.from('{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}').toString('base64');
    graph.injectFault({
      method: 'POST',
      status: 401,
      wwwAuthenticate: `Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"`,
    });
    const refreshes = idp.requests.filter((r) => r.form['grant_type'] === 'refresh_token').length;
    const run = await cli(['send', operationFile(), '--graph-url', graph.url, '--json', '--client-id', clientId]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.lines[0]!['attempts'], 2);
    const renewals = idp.requests.filter((r) => r.form['grant_type'] === 'refresh_token');
    assert.equal(renewals.length, refreshes + 1);
    assert.match(renewals.at(-1)!.form['claims']!, /"nbf"/);
    const [first, second] = graph.requests.filter((r) => r.method === 'POST');
    assert.notEqual(first!.headers['authorization'], second!.headers['authorization']);
  });

  it('whoami shows account, tenant and scopes, never the token', async () => {
    const human = await cli(['whoami', '--client-id', clientId]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^account\s+admin@contoso\.example$/m);
    assert.match(human.stdout, new RegExp(`^tenant\\s+${sampleIds.tenantId}$`, 'm'));
    assert.match(human.stdout, /^scopes\s+https:\/\/graph\.microsoft\.com\/DeviceManagementApps\.ReadWrite\.All$/m);
    const json = await cli(['whoami', '--json'], { INTUNE_MAO_CLIENT_ID: clientId });
    assert.equal(json.lines[0]!['account'], 'admin@contoso.example');
    assert.match(String(json.lines[0]!['source']), /device code sign-in/);
    const given = await cli(['whoami', '--json'], { INTUNE_MAO_ACCESS_TOKEN: graph.mintToken({ scp: 'DeviceManagementApps.Read.All' }) });
    assert.deepEqual(given.lines[0]!['scopes'], ['DeviceManagementApps.Read.All']);
    assert.equal(given.lines[0]!['source'], 'INTUNE_MAO_ACCESS_TOKEN');
  });

  it('logout removes the cache; whoami then says to sign in', async () => {
    const run = await cli(['logout']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Signed out \(admin@contoso\.example\): removed .*msal-cache\.json/);
    assert.deepEqual(readdirSync(configDir()), []);
    const whoami = await cli(['whoami', '--client-id', clientId]);
    assert.equal(whoami.code, 2);
    assert.match(whoami.stderr, /Not signed in to Global\. Run: intune-mao login --client-id/);
    assert.match((await cli(['logout'])).stdout, /Not signed in/);
  });

  it('explains a missing admin consent, and an unknown client id, with exit 2', async () => {
    const consent = await withBrowserStep(['login', '--client-id', clientId], {}, 'consent');
    assert.equal(consent.code, 2);
    assert.match(consent.stderr, /has no consent for DeviceManagementApps\.ReadWrite\.All.*Grant admin consent.*\(AADSTS65001\)/);
    idp.failNext('devicecode', 'unknownApp');
    const unknown = await cli(['login', '--client-id', clientId]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No app with client id .* exists in tenant "organizations".*not pre-authorized/);
    assert.doesNotMatch(unknown.stderr, /enter the code/);
  });

  it('stops a pending device code sign-in on Ctrl+C', async () => {
    let pid = 0;
    let signalled = false;
    const run = await cli(
      ['login', '--client-id', clientId],
      {},
      {
        onSpawn: (p) => {
          pid = p;
        },
        onStderr: (text) => {
          if (!signalled && /enter the code/.test(text)) {
            signalled = true;
            process.kill(pid, 'SIGINT');
          }
        },
      },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Sign-in was cancelled/);
  });

  it('refuses a sign-in URL that is not loopback https, a malformed client id or tenant, and login without a client id', async () => {
    for (const url of ['https://login.evil.example', 'http://127.0.0.1:9', 'https://localhost.evil.example']) {
      const run = await cli(['login', '--client-id', clientId, '--login-url', url]);
      assert.equal(run.code, 2, url);
      assert.match(run.stderr, /only a loopback address|must use https/);
    }
    assert.match((await cli(['login', '--client-id', 'vscode'])).stderr, /--client-id must be the Application \(client\) ID/);
    assert.match((await cli(['login', '--client-id', clientId, '--tenant', '../common'])).stderr, /is not a tenant/);
    const missing = await cli(['login']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /login needs --client-id.*VS Code's own client id is not pre-authorized/);
  });

  it('the cache holds tokens only in the cache file (no token left in any file after logout)', () => {
    for (const name of readdirSync(home, { recursive: true }) as string[]) {
      const path = join(home, name);
      if (!statSync(path).isFile()) continue;
      const text = readFileSync(path, 'utf8');
      for (const secret of [...idp.issuedAccessTokens, ...idp.issuedRefreshTokens]) assert.ok(!text.includes(secret), `${name} holds a token`);
    }
  });
});
