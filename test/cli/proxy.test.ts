import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator';
import { startIdentityEmulator, type IdentityEmulator } from '../support/identityEmulator';
import { runCli, type CliRun } from '../support/runCli';
import { closedPort, startTestProxy, type TestProxy } from '../support/testProxy';
import { startTlsStandIn, type TlsStandIn } from '../support/tlsStandIn';

const clientId = '4a1f3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
const proxyUser = 'svc-pipeline';
const proxyPassword = 'Pr0xy-S3cret-pa55word';
const basic = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;
const graphHost = 'graph.microsoft.com';
const loginHost = 'login.microsoftonline.com';

/**
 * Loopback is never proxied, so requests that go through these proxies name the real hosts: each test proxy
 * tunnels graph.microsoft.com:443 to a TLS stand-in for the Graph emulator and login.microsoftonline.com:443
 * to the identity emulator, and refuses anything else that is not loopback. Nothing leaves the machine.
 */
describe('intune-mao CLI behind a proxy', function () {
  this.timeout(30_000);
  let graph: Emulator;
  let idp: IdentityEmulator;
  let graphStandIn: TlsStandIn;
  let proxy: TestProxy;
  let lockedProxy: TestProxy;
  let token: string;
  let registrationId: string;
  let dir: string;
  const outputs: CliRun[] = [];

  before(async () => {
    graph = await startEmulator();
    idp = await startIdentityEmulator({ mintAccessToken: (claims) => graph.mintToken(claims), intervalSeconds: 0.05, hostNames: [loginHost] });
    graphStandIn = await startTlsStandIn(graphHost, Number(new URL(graph.url).port));
    const tunnels = { [`${graphHost}:443`]: graphStandIn.port, [`${loginHost}:443`]: Number(new URL(idp.url).port) };
    proxy = await startTestProxy({ tunnels });
    lockedProxy = await startTestProxy({ credentials: `${proxyUser}:${proxyPassword}`, tunnels });
    token = graph.mintToken();
    const first = await fetch(`${graph.url}/beta/deviceAppManagement/managedAppRegistrations`, { headers: { Authorization: `Bearer ${token}` } });
    registrationId = ((await first.json()) as { value: { id: string }[] }).value[0]!.id;
    dir = mkdtempSync(join(tmpdir(), 'mao-proxy-'));
  });
  after(async () => {
    for (const run of outputs) {
      const text = run.stdout + run.stderr;
      assert.ok(!text.includes(proxyPassword) && !text.includes(`${proxyUser}:`), 'the proxy credentials appeared in the CLI output');
      assert.ok(!text.includes(token), 'the token appeared in the CLI output');
    }
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([proxy.close(), lockedProxy.close(), graphStandIn.close(), idp.close(), graph.close()]);
  });
  beforeEach(() => {
    graph.reset();
    proxy.reset();
    lockedProxy.reset();
  });

  const cli = async (args: string[], env: Record<string, string | undefined>, options: Parameters<typeof runCli>[2] = {}): Promise<CliRun> => {
    const run = await runCli(args, { INTUNE_MAO_ACCESS_TOKEN: token, ...env }, options);
    outputs.push(run);
    return run;
  };
  const operationFile = (): string => {
    const path = join(dir, `op-${Date.now()}-${Math.random().toString(16).slice(2)}.mao.json`);
    writeFileSync(
      path,
      JSON.stringify({ $registrationId: registrationId, '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe', state: 'pending' }),
    );
    return path;
  };
  const send = (env: Record<string, string | undefined>, ...extra: string[]): Promise<CliRun> =>
    cli(['send', operationFile(), '--graph-url', graph.url, ...extra], env);
  /** Send to the real Graph root, which only a proxy tunnel to the stand-in can reach. */
  const sendToGraph = (env: Record<string, string | undefined>, ...extra: string[]): Promise<CliRun> =>
    cli(['send', operationFile(), ...extra], { NODE_EXTRA_CA_CERTS: graphStandIn.certificateFile, ...env });
  const posts = () => graph.requests.filter((r) => r.method === 'POST');
  const lockedUrl = (): string => `http://${proxyUser}:${proxyPassword}@127.0.0.1:${lockedProxy.port}`;

  it('reaches a loopback --graph-url directly with HTTP_PROXY set: the token never goes to the proxy in the clear', async () => {
    const run = await send({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }, '--verbose');
    assert.equal(run.code, 0, run.stderr);
    const path = `/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`;
    assert.deepEqual(proxy.requests, [], 'the proxy saw nothing');
    assert.equal(posts().length, 1);
    assert.equal(posts()[0]!.headers['authorization'], `Bearer ${token}`);
    assert.equal(graph.operationsOf(registrationId).length, 1);
    assert.match(run.stderr, new RegExp(`\\[http\\] attempt 1: POST ${graph.url}${path} \\(direct \\(loopback is never proxied\\)\\)`));
  });

  it('sends to the real Graph root through HTTPS_PROXY with CONNECT, and says so with --verbose', async () => {
    const run = await sendToGraph({ HTTPS_PROXY: proxy.url }, '--verbose');
    assert.equal(run.code, 0, run.stderr);
    const path = `/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`;
    assert.deepEqual(
      proxy.requests.map((r) => [r.method, r.target, r.status]),
      [['CONNECT', `${graphHost}:443`, 200]],
    );
    assert.equal(proxy.requests[0]!.headers['proxy-authorization'], undefined);
    assert.ok(!proxy.tunnelled().includes(token), 'the token went through the tunnel encrypted');
    assert.equal(posts().length, 1);
    assert.equal(graph.operationsOf(registrationId).length, 1);
    assert.match(run.stderr, new RegExp(`\\[http\\] attempt 1: POST https://${graphHost}${path} \\(via proxy http://127\\.0\\.0\\.1:${proxy.port}\\)`));
  });

  it('honours the lower-case name and goes direct for hosts in NO_PROXY', async () => {
    const viaLower = await sendToGraph({ https_proxy: proxy.url }, '--json');
    assert.equal(viaLower.code, 0, viaLower.stderr);
    assert.equal(proxy.requests.length, 1);
    proxy.reset();
    for (const noProxy of [{ NO_PROXY: '127.0.0.1' }, { no_proxy: 'localhost, 127.0.0.0/8' }, { NO_PROXY: '*' }]) {
      const run = await send({ HTTP_PROXY: proxy.url, ...noProxy }, '--verbose');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /\(direct \(NO_PROXY\)\)/);
    }
    assert.equal(proxy.requests.length, 0, 'the proxy saw nothing');
    assert.equal(graph.operationsOf(registrationId).length, 4);
  });

  it('does not use HTTPS_PROXY for the http:// emulator', async () => {
    const run = await send({ HTTPS_PROXY: proxy.url }, '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(proxy.requests.length, 0);
  });

  it('sends the proxy credentials in Proxy-Authorization and never prints them', async () => {
    const run = await sendToGraph({ HTTPS_PROXY: lockedUrl() }, '--verbose');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(lockedProxy.requests.length, 1);
    assert.equal(lockedProxy.requests[0]!.headers['proxy-authorization'], basic(`${proxyUser}:${proxyPassword}`));
    assert.equal(lockedProxy.requests[0]!.status, 200);
    assert.match(run.stderr, new RegExp(`via proxy http://\\[redacted\\]@127\\.0\\.0\\.1:${lockedProxy.port}`));
    assert.equal(posts().length, 1);
    assert.equal(posts()[0]!.headers['proxy-authorization'], undefined, 'the proxy credentials did not travel on to Graph');
  });

  it('fails definitely when the proxy cannot be reached, naming it without credentials', async () => {
    const port = await closedPort();
    const run = await sendToGraph({ HTTPS_PROXY: `http://${proxyUser}:${proxyPassword}@127.0.0.1:${port}` }, '--json');
    assert.equal(run.code, 1, run.stderr);
    const [line] = run.lines;
    assert.equal(line!.outcome, 'failed');
    assert.equal(line!.ok, false);
    assert.match(
      line!.error.message,
      new RegExp(
        `^Could not connect through the proxy http://\\[redacted\\]@127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\. Nothing reached Graph, so nothing was created\\.`,
      ),
    );
    assert.equal(graph.requests.length, 0);
    const plain = await sendToGraph({ HTTPS_PROXY: `127.0.0.1:${port}` });
    assert.equal(plain.code, 1);
    assert.match(plain.stdout, new RegExp(`Could not connect through the proxy http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    assert.equal(graph.requests.length, 0);
  });

  it('gives up on a proxy that never answers CONNECT within --timeout, and then ends (nothing sent, exit 1)', async () => {
    // Reads the CONNECT and never answers it.
    const silent = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      // The tunnel's own limit is 30 s, more than runCli waits before killing the CLI: ending at all proves it let go.
      const run = await sendToGraph({ HTTPS_PROXY: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` }, '--json', '--timeout', '1');
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.lines[0]!.error.message, 'Could not connect within 1 s (timed out). Nothing reached Graph, so nothing was created.');
      assert.equal(graph.requests.length, 0);
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('refuses a proxy URL it cannot use before sending anything (exit 2), without echoing credentials', async () => {
    const run = await send({ HTTPS_PROXY: `socks5://${proxyUser}:${proxyPassword}@127.0.0.1:1080` });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /HTTPS_PROXY: only http:\/\/ proxies are supported/);
    assert.equal(graph.requests.length, 0);
  });

  describe('device code sign-in (https) through HTTPS_PROXY', () => {
    let home: string;
    beforeEach(() => {
      home = mkdtempSync(join(tmpdir(), 'mao-proxy-signin-'));
    });
    afterEach(() => {
      rmSync(home, { recursive: true, force: true });
    });
    // The real sign-in host, tunnelled to the identity emulator (a loopback --login-url would go direct).
    const signInEnv = (proxyUrl: string): Record<string, string | undefined> => ({
      INTUNE_MAO_ACCESS_TOKEN: undefined,
      XDG_CONFIG_HOME: home,
      NODE_EXTRA_CA_CERTS: idp.certificateFile,
      HTTPS_PROXY: proxyUrl,
    });

    it('tunnels with CONNECT: the proxy sees the host and encrypted bytes, never a token', async () => {
      const tokensBefore = idp.issuedAccessTokens.length;
      let approved = false;
      const run = await cli(['login', '--client-id', clientId, '--json', '--verbose'], signInEnv(lockedUrl()), {
        onStderr: (text) => {
          const code = /enter the code ([A-Z0-9]+) to authenticate/.exec(text)?.[1];
          if (code && !approved) {
            approved = true;
            idp.approve(code);
          }
        },
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.lines[0]!['account'], 'admin@contoso.example');
      assert.ok(lockedProxy.requests.length >= 1);
      for (const seen of lockedProxy.requests) {
        assert.equal(seen.method, 'CONNECT');
        assert.equal(seen.target, `${loginHost}:443`);
        assert.equal(seen.headers['proxy-authorization'], basic(`${proxyUser}:${proxyPassword}`));
        assert.equal(seen.status, 200);
      }
      const issued = [...idp.issuedAccessTokens.slice(tokensBefore), ...idp.issuedRefreshTokens];
      assert.ok(issued.length >= 2);
      const bytes = lockedProxy.tunnelled();
      assert.ok(bytes.length > 0);
      for (const secret of issued) assert.ok(!bytes.includes(secret), 'a token went through the proxy in the clear');
      assert.doesNotMatch(bytes, /client_id=|device_code|grant_type/, 'the sign-in requests were not encrypted');
      assert.match(
        run.stderr,
        new RegExp(`\\[proxy\\] ${loginHost.replace(/\./g, '\\.')}: via proxy http://\\[redacted\\]@127\\.0\\.0\\.1:${lockedProxy.port}`),
      );
    });

    it('reaches a loopback sign-in emulator directly, HTTPS_PROXY or not', async () => {
      let approved = false;
      const run = await cli(
        ['login', '--client-id', clientId, '--json', '--verbose'],
        { ...signInEnv(lockedUrl()), INTUNE_MAO_LOGIN_URL: idp.url },
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
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(lockedProxy.requests, [], 'the proxy saw nothing');
      assert.match(run.stderr, new RegExp(`\\[proxy\\] ${new URL(idp.url).host.replace(/\./g, '\\.')}: direct \\(loopback is never proxied\\)`));
    });

    it('fails clearly when the proxy refuses the tunnel, and nothing reaches the sign-in service', async () => {
      const requestsBefore = idp.requests.length;
      const run = await cli(['login', '--client-id', clientId], signInEnv(`http://${proxyUser}:wrong-password-here@127.0.0.1:${lockedProxy.port}`));
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        new RegExp(
          `Could not sign in: could not reach ${loginHost.replace(/\./g, '\\.')}: the proxy http://\\[redacted\\]@127\\.0\\.0\\.1:${lockedProxy.port} refused to open a tunnel to ${loginHost.replace(/\./g, '\\.')}:443 \\(HTTP 407 Proxy Authentication Required\\)`,
        ),
      );
      assert.doesNotMatch(run.stderr, /wrong-password-here/);
      assert.equal(idp.requests.length, requestsBefore);
      assert.ok(lockedProxy.requests.every((r) => r.method === 'CONNECT' && r.status === 407));
    });
  });
});
