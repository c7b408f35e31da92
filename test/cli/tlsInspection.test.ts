import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../support/runCli';
import { makeIssuedCertificate, makeSelfSignedCertificate, type TestCertificate } from '../support/testCertificate';
import { startTestProxy, type TestProxy } from '../support/testProxy';

const registrationId = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const token = `tls-inspection-token-${Date.now()}`;
const graphHost = 'graph.microsoft.com';
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The proxied target is the real https://graph.microsoft.com: these proxies never connect onward (the
 * inspecting one answers the TLS itself; the others tunnel to loopback servers), so nothing leaves the machine.
 */
describe('intune-mao CLI: a TLS handshake that fails behind a proxy is a definite failure', function () {
  this.timeout(30_000);
  let selfSigned: TestCertificate;
  let corporate: ReturnType<typeof makeIssuedCertificate>;
  let dir: string;
  let file: string;
  const cleanup: Array<() => Promise<void> | void> = [];

  before(() => {
    selfSigned = makeSelfSignedCertificate('TLS inspection (test)', [`DNS:${graphHost}`]);
    corporate = makeIssuedCertificate([graphHost]);
    dir = mkdtempSync(join(tmpdir(), 'mao-tls-'));
    file = join(dir, 'op.mao.json');
    writeFileSync(file, JSON.stringify({ $registrationId: registrationId, displayName: 'Wipe' }));
  });
  after(async () => {
    for (const step of cleanup.splice(0)) await step();
    selfSigned.remove();
    corporate.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const proxyWith = async (options: Parameters<typeof startTestProxy>[0]): Promise<TestProxy> => {
    const proxy = await startTestProxy(options);
    cleanup.push(() => proxy.close());
    return proxy;
  };
  const cli = async (args: string[], env: Record<string, string>): Promise<CliRun> => {
    const run = await runCli(args, { INTUNE_MAO_ACCESS_TOKEN: token, INTUNE_MAO_BACKOFF_BASE_MS: '20', ...env });
    assert.ok(!(run.stdout + run.stderr).includes(token));
    return run;
  };

  it('names a self-signed inspection certificate, the proxy and NODE_EXTRA_CA_CERTS, and says nothing reached Graph (exit 1)', async () => {
    const inspector = await proxyWith({ inspectTls: selfSigned });
    const run = await cli(['send', file, '--json'], { HTTPS_PROXY: inspector.url });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.lines[0]!.outcome, 'failed');
    assert.match(
      run.lines[0]!.error.message,
      new RegExp(
        `^The TLS connection to ${escape(graphHost)} was refused: its certificate is self-signed \\(DEPTH_ZERO_SELF_SIGNED_CERT\\)\\. ` +
          `The proxy ${escape(inspector.url)} may be inspecting TLS with a certificate of its own\\. .*set NODE_EXTRA_CA_CERTS to its certificate \\(a PEM file\\)\\. ` +
          'Nothing reached Graph, so nothing was created\\.$',
      ),
    );
    assert.deepEqual(
      inspector.requests.map((r) => [r.method, r.target]),
      [['CONNECT', `${graphHost}:443`]],
    );
    assert.equal(inspector.inspected(), '', 'not one byte of the request reached the inspecting proxy');
  });

  it('names a certificate from an authority this computer does not trust, for send and registrations', async () => {
    const inspector = await proxyWith({ inspectTls: corporate });
    const send = await cli(['send', file], { HTTPS_PROXY: inspector.url });
    assert.equal(send.code, 1, send.stdout + send.stderr);
    assert.match(send.stdout, /✖ failed/);
    assert.match(
      send.stdout,
      /its certificate cannot be traced to an authority this computer trusts \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\).*NODE_EXTRA_CA_CERTS.*Nothing reached Graph/,
    );
    const list = await cli(['registrations', '--max-retries', '0'], { HTTPS_PROXY: inspector.url });
    assert.equal(list.code, 1, list.stdout + list.stderr);
    assert.match(list.stderr, /✖ The TLS connection to graph\.microsoft\.com was refused: its certificate cannot be traced.*NODE_EXTRA_CA_CERTS/);
    assert.equal(inspector.inspected(), '');
  });

  it('gets through once NODE_EXTRA_CA_CERTS names the inspecting authority, as the message says', async () => {
    const inspector = await proxyWith({ inspectTls: corporate });
    // This inspector reads the request but never answers it: the outcome is then unknown, not a TLS failure.
    const run = await cli(['send', file, '--json', '--timeout', '2'], { HTTPS_PROXY: inspector.url, NODE_EXTRA_CA_CERTS: corporate.caFile });
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.lines[0]!.error.message, /^No answer within 2 s/);
    assert.match(inspector.inspected(), new RegExp(`^POST /beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations HTTP/1\\.1`));
  });

  it('is a definite failure without a proxy too: an https emulator with a certificate Node does not trust', async () => {
    const { createServer: createHttpsServer } = await import('node:https');
    const loopback = makeSelfSignedCertificate('untrusted loopback', ['IP:127.0.0.1']);
    const server = createHttpsServer({ key: loopback.key, cert: loopback.cert }, (_req, res) => res.writeHead(201).end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          loopback.remove();
          server.close(() => resolve());
        }),
    );
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const run = await cli(['send', file, '--json', '--graph-url', `https://${host}`], {});
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.lines[0]!.error.message,
      new RegExp(
        `^The TLS connection to ${escape(host)} was refused: its certificate is self-signed \\(DEPTH_ZERO_SELF_SIGNED_CERT\\)\\. If your organisation .* Nothing reached Graph`,
      ),
    );
  });

  for (const [what, behave] of [
    ['speaks plain HTTP instead of TLS', (socket: import('node:net').Socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')],
    ['hangs up during the handshake', (socket: import('node:net').Socket) => socket.destroy()],
  ] as const) {
    it(`is a definite failure when the far end of the tunnel ${what}`, async () => {
      const farEnd: Server = createServer(behave);
      await new Promise<void>((resolve) => farEnd.listen(0, '127.0.0.1', resolve));
      cleanup.push(() => new Promise<void>((resolve) => farEnd.close(() => resolve())));
      const proxy = await proxyWith({ tunnels: { [`${graphHost}:443`]: (farEnd.address() as AddressInfo).port } });
      const run = await cli(['send', file, '--json'], { HTTPS_PROXY: proxy.url });
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.equal(run.lines[0]!.outcome, 'failed');
      assert.match(
        run.lines[0]!.error.message,
        new RegExp(
          `^The TLS handshake with ${escape(graphHost)} failed \\([A-Z_]+; through the proxy ${escape(proxy.url)}\\)\\. Nothing reached Graph, so nothing was created\\.$`,
        ),
      );
    });
  }
});
