import assert from 'node:assert/strict';
import { resolveGraphTarget } from '../../src/core/clouds';
import { GraphClient } from '../../src/core/graphClient';
import { buildOperationRequest } from '../../src/core/operationRequest';
import { noProxyMatches, parseProxyUrl, ProxyConfigError, ProxyRules } from '../../src/core/proxy';
import { openTunnel, ProxyError } from '../../src/core/proxyAgent';
import { proxySettingsFromEnv } from '../../src/cli/proxyEnvironment';
import { closedPort, startTestProxy } from '../support/testProxy';

describe('proxy rules', () => {
  describe('NO_PROXY matching (curl semantics)', () => {
    const matches = (noProxy: string | undefined, url: string): boolean => noProxyMatches(noProxy, new URL(url));

    it('matches nothing when unset or empty, everything for *', () => {
      assert.equal(matches(undefined, 'https://graph.microsoft.com/'), false);
      assert.equal(matches('', 'https://graph.microsoft.com/'), false);
      assert.equal(matches(' , ,', 'https://graph.microsoft.com/'), false);
      assert.equal(matches('*', 'https://graph.microsoft.com/'), true);
      assert.equal(matches('*', 'http://127.0.0.1:8080/'), true);
    });

    it('matches a domain and its subdomains, with or without a leading dot, never a mere suffix', () => {
      for (const entry of ['microsoft.com', '.microsoft.com', '*.microsoft.com', 'MICROSOFT.COM', 'microsoft.com.']) {
        assert.equal(matches(entry, 'https://graph.microsoft.com/beta'), true, entry);
        assert.equal(matches(entry, 'https://microsoft.com/'), true, entry);
        assert.equal(matches(entry, 'https://notmicrosoft.com/'), false, entry);
        assert.equal(matches(entry, 'https://microsoft.com.evil.example/'), false, entry);
      }
      assert.equal(matches('graph.microsoft.com', 'https://login.microsoftonline.com/'), false);
      assert.equal(matches('graph.microsoft.com', 'https://GRAPH.Microsoft.com./'), true);
    });

    it('reads a comma (and space) separated list', () => {
      const list = 'localhost, .internal.example ,login.microsoftonline.com,10.0.0.0/8';
      assert.equal(matches(list, 'https://login.microsoftonline.com/common'), true);
      assert.equal(matches(list, 'https://svc.internal.example/'), true);
      assert.equal(matches(list, 'http://localhost:3000/'), true);
      assert.equal(matches(list, 'https://graph.microsoft.com/'), false);
      assert.equal(matches('a.example b.example', 'https://b.example/'), true);
    });

    it('matches a port only when the entry names one', () => {
      assert.equal(matches('127.0.0.1:8080', 'http://127.0.0.1:8080/'), true);
      assert.equal(matches('127.0.0.1:8080', 'http://127.0.0.1:9090/'), false);
      assert.equal(matches('graph.microsoft.com:443', 'https://graph.microsoft.com/'), true);
      assert.equal(matches('graph.microsoft.com:8443', 'https://graph.microsoft.com/'), false);
      assert.equal(matches('127.0.0.1', 'http://127.0.0.1:9090/'), true);
    });

    it('matches IP addresses exactly or by CIDR, IPv6 included', () => {
      assert.equal(matches('127.0.0.1', 'http://127.0.0.1:1/'), true);
      assert.equal(matches('127.0.0.1', 'http://127.0.0.2:1/'), false);
      assert.equal(matches('127.0.0.0/8', 'http://127.0.0.2:1/'), true);
      assert.equal(matches('10.0.0.0/8', 'http://127.0.0.1:1/'), false);
      assert.equal(matches('::1', 'http://[::1]:8080/'), true);
      assert.equal(matches('[::1]:8080', 'http://[::1]:8080/'), true);
      assert.equal(matches('[::1]:8080', 'http://[::1]:9090/'), false);
      assert.equal(matches('0:0:0:0:0:0:0:1', 'http://[::1]:8080/'), true);
      assert.equal(matches('fd00::/8', 'http://[fd12::5]:1/'), true);
      assert.equal(matches('127.0.0.1', 'http://localhost:1/'), false, 'names are not resolved');
    });

    it('does not bypass loopback unless listed (curl does not either)', () => {
      assert.equal(matches('graph.microsoft.com', 'http://127.0.0.1:3000/'), false);
      assert.equal(matches('graph.microsoft.com', 'http://localhost:3000/'), false);
    });
  });

  describe('proxy URLs', () => {
    it('reads host:port as http://, defaults the port to 80 and builds Basic credentials', () => {
      assert.deepEqual(parseProxyUrl('proxy.corp.example:3128'), {
        hostname: 'proxy.corp.example',
        port: 3128,
        display: 'http://proxy.corp.example:3128',
        secrets: [],
      });
      assert.equal(parseProxyUrl('http://proxy.corp.example').port, 80);
      const withCredentials = parseProxyUrl('http://svc%40corp:p%3Ass@proxy.corp.example:3128/');
      assert.equal(withCredentials.display, 'http://[redacted]@proxy.corp.example:3128');
      assert.equal(withCredentials.authorization, `Basic ${Buffer.from('svc@corp:p:ss').toString('base64')}`);
      assert.ok(withCredentials.secrets.includes('p:ss') && withCredentials.secrets.includes('svc@corp:p:ss'));
      assert.equal(parseProxyUrl('http://[::1]:3128').hostname, '::1');
    });

    it('refuses what it cannot use, without repeating the credentials', () => {
      assert.throws(
        () => parseProxyUrl('socks5://user:secretpass@proxy:1080', 'HTTPS_PROXY'),
        (error: Error) =>
          error instanceof ProxyConfigError && /HTTPS_PROXY: only http:\/\/ proxies/.test(error.message) && !error.message.includes('secretpass'),
      );
      assert.throws(
        () => parseProxyUrl('http://user:secretpass@', 'HTTP_PROXY'),
        (error: Error) => error instanceof ProxyConfigError && !error.message.includes('secretpass'),
      );
    });

    it('picks the proxy by scheme and lets NO_PROXY win', () => {
      const rules = new ProxyRules({ https: 'http://proxy:3128', http: 'http://other:8080', noProxy: '.internal.example' });
      const route = (url: string): string => {
        const r = rules.route(url);
        return r.kind === 'proxy' ? r.server.display : `direct ${r.because}`;
      };
      assert.equal(route('https://graph.microsoft.com/beta'), 'http://proxy:3128');
      assert.equal(route('http://intranet.example:3000/beta'), 'http://other:8080');
      assert.equal(route('https://svc.internal.example/'), 'direct no-proxy');
      assert.equal(new ProxyRules({ https: 'http://proxy:3128' }).route('http://127.0.0.1:1/').kind, 'direct');
      assert.equal(new ProxyRules({}).active, false);
    });

    it('reaches loopback directly whatever the variables say: the emulators never go through a proxy', () => {
      const rules = new ProxyRules({ https: 'http://proxy:3128', http: 'http://other:8080', noProxy: '.internal.example' });
      for (const url of [
        'http://127.0.0.1:5080/beta',
        'http://localhost:5080/',
        'http://[::1]:5080/',
        'http://127.8.9.10/',
        'https://127.0.0.1:8443/organizations',
      ]) {
        assert.deepEqual(rules.route(url), { kind: 'direct', because: 'loopback' }, url);
      }
      assert.equal(rules.route('http://localhost.evil.example/').kind, 'proxy');
      assert.deepEqual(new ProxyRules({ http: 'http://other:8080', noProxy: '127.0.0.1' }).route('http://127.0.0.1:1/'), {
        kind: 'direct',
        because: 'no-proxy',
      });
    });
  });

  describe('the environment (CLI)', () => {
    it('reads the lower-case names first, then upper-case, then ALL_PROXY; empty values do not count', () => {
      assert.equal(proxySettingsFromEnv({}), undefined);
      assert.equal(proxySettingsFromEnv({ HTTPS_PROXY: ' ', NO_PROXY: '*' }), undefined);
      assert.deepEqual(proxySettingsFromEnv({ HTTPS_PROXY: 'http://up:1', https_proxy: 'http://low:1', NO_PROXY: 'a', no_proxy: 'b' }), {
        https: 'http://low:1',
        noProxy: 'b',
        sources: { https: 'https_proxy' },
      });
      assert.deepEqual(proxySettingsFromEnv({ HTTP_PROXY: 'http://h:1', ALL_PROXY: 'http://all:1' }), {
        https: 'http://all:1',
        http: 'http://h:1',
        sources: { https: 'ALL_PROXY', http: 'HTTP_PROXY' },
      });
    });
  });

  describe('CONNECT tunnels', () => {
    it('fails definitely, naming the proxy without credentials, when the proxy says no or is not there', async () => {
      const proxy = await startTestProxy({ credentials: 'user:rightpassword' });
      try {
        await assert.rejects(
          openTunnel(parseProxyUrl(`http://user:wrongpassword@127.0.0.1:${proxy.port}`), 'graph.microsoft.com', 443),
          (error: Error) =>
            error instanceof ProxyError &&
            error.code === 'ERR_PROXY_REFUSED' &&
            error.status === 407 &&
            error.message.includes(`http://[redacted]@127.0.0.1:${proxy.port}`) &&
            !error.message.includes('wrongpassword'),
        );
        assert.equal(proxy.requests[0]!.target, 'graph.microsoft.com:443');
        assert.equal(proxy.requests[0]!.headers['proxy-authorization'], `Basic ${Buffer.from('user:wrongpassword').toString('base64')}`);
        const socket = await openTunnel(parseProxyUrl(`http://user:rightpassword@127.0.0.1:${proxy.port}`), '127.0.0.1', proxy.port);
        socket.destroy();
      } finally {
        await proxy.close();
      }
      const port = await closedPort();
      await assert.rejects(
        openTunnel(parseProxyUrl(`http://u:secretpassword@127.0.0.1:${port}`), 'graph.microsoft.com', 443),
        (error: Error) =>
          error instanceof ProxyError &&
          error.code === 'ECONNREFUSED' &&
          error.message.includes(`127.0.0.1:${port}`) &&
          !error.message.includes('secretpassword'),
      );
    });
  });

  describe('the Graph client through a proxy', () => {
    it('treats a tunnel the proxy refuses as a definite failure: the POST never left, the token never went to the proxy', async () => {
      const proxy = await startTestProxy({ credentials: 'user:rightpassword' });
      try {
        const events: string[] = [];
        const client = new GraphClient({
          target: resolveGraphTarget('global'),
          getToken: async () => 'secret-token-value',
          userAgent: 't',
          proxy: { https: proxy.url },
          retry: { maxRetries: 0 },
          onEvent: (event) => {
            if (event.type === 'attempt') events.push(event.route ?? '');
          },
        });
        const request = buildOperationRequest({
          text: '{"displayName":"x"}',
          registrationId: '0f0e0d0c-0b0a-4909-8807-060504030201',
          apiVersion: 'beta',
          target: client.target,
        });
        const exchange = await client.execute(request);
        assert.equal(exchange.outcome, 'failed');
        assert.match(
          exchange.reason!,
          new RegExp(
            `^The proxy http://127\\.0\\.0\\.1:${proxy.port} refused to connect to Graph \\(HTTP 407: .*\\)\\. Nothing reached Graph, so nothing was created\\.$`,
          ),
        );
        assert.deepEqual(events, [`via proxy http://127.0.0.1:${proxy.port}`]);
        assert.deepEqual(
          proxy.requests.map((r) => [r.method, r.target, r.status]),
          [['CONNECT', 'graph.microsoft.com:443', 407]],
        );
        assert.equal(proxy.requests[0]!.headers['authorization'], undefined);
        assert.ok(!JSON.stringify(proxy.requests).includes('secret-token-value'));
      } finally {
        await proxy.close();
      }
    });
  });
});
