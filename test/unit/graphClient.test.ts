import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { resolveGraphTarget } from '../../src/core/clouds';
import { EndlessPagingError, GraphClient, UnsafeDestinationError, type TokenRequest } from '../../src/core/graphClient';
import { buildGetRequest, buildOperationRequest, registrationsPath } from '../../src/core/operationRequest';
import { startEmulator, type Emulator } from '../../src/emulator';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe('GraphClient', function () {
  this.timeout(15_000);
  let emulator: Emulator;
  let firstId = '';

  before(async () => {
    emulator = await startEmulator({ pageSize: 4 });
    const client = clientFor(emulator.mintToken());
    firstId = String((await client.listAll(buildGetRequest(client.target, registrationsPath('beta')))).items[0]!['id']);
  });
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  function clientFor(token: string | ((r: TokenRequest) => Promise<string>), extra: Partial<ConstructorParameters<typeof GraphClient>[0]> = {}): GraphClient {
    return new GraphClient({
      target: resolveGraphTarget('global', emulator.url),
      getToken: typeof token === 'string' ? async () => token : token,
      userAgent: 'test',
      retry: { backoffBaseMs: 10 },
      ...extra,
    });
  }
  const post = (client: GraphClient) =>
    buildOperationRequest({ text: '{"displayName":"x"}', registrationId: firstId, apiVersion: 'beta', target: client.target });

  it('hands over every page as it arrives', async () => {
    const client = clientFor(emulator.mintToken());
    const pages: number[] = [];
    const { items, exchange } = await client.listAll(buildGetRequest(client.target, registrationsPath('v1.0')), (page, n) => pages.push(n * 100 + page.length));
    assert.equal(exchange.outcome, 'succeeded');
    assert.ok(pages.length >= 3);
    assert.equal(
      items.length,
      pages.reduce((sum, p) => sum + (p % 100), 0),
    );
  });

  it('does not follow a nextLink that leaves the Graph root', async () => {
    const { server, url } = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: [{ id: 'a' }], '@odata.nextLink': 'https://evil.example/steal' }));
    });
    try {
      const client = new GraphClient({ target: resolveGraphTarget('global', url), getToken: async () => 'secret-token-value', userAgent: 't' });
      await assert.rejects(client.listAll(buildGetRequest(client.target, '/beta/x')), UnsafeDestinationError);
    } finally {
      server.close();
    }
  });

  it('stops on a nextLink that repeats itself', async () => {
    const { server, url } = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: [], '@odata.nextLink': `http://${req.headers.host}/beta/same` }));
    });
    try {
      const client = new GraphClient({ target: resolveGraphTarget('global', url), getToken: async () => 'secret-token-value', userAgent: 't' });
      await assert.rejects(client.listAll(buildGetRequest(client.target, '/beta/same')), /endless/);
    } finally {
      server.close();
    }
  });

  it('stops a list whose pages never end, each with a new nextLink, at the page limit', async () => {
    let pages = 0;
    const { server, url } = await listen((req, res) => {
      pages++;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ value: [{ id: String(pages) }], '@odata.nextLink': `http://${req.headers.host}/beta/x?page=${pages + 1}` }));
    });
    try {
      const client = new GraphClient({ target: resolveGraphTarget('global', url), getToken: async () => 'secret-token-value', userAgent: 't', maxPages: 25 });
      const seen: number[] = [];
      await assert.rejects(
        client.listAll(buildGetRequest(client.target, '/beta/x'), (_page, n) => seen.push(n)),
        (error: Error) =>
          error instanceof EndlessPagingError && !error.repeated && error.pagesRead === 25 && /more than 25\): the list looks endless/.test(error.message),
      );
      assert.equal(pages, 25);
      assert.equal(seen.length, 25);
    } finally {
      server.close();
    }
  });

  it('signs in again once after a claims challenge', async () => {
    const requests: TokenRequest[] = [];
    const client = clientFor(async (r) => {
      requests.push(r);
      return emulator.mintToken();
    });
    emulator.injectFault({
      method: 'POST',
      status: 401,
      wwwAuthenticate: 'Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="',
    });
    const exchange = await client.execute(post(client));
    assert.equal(exchange.outcome, 'succeeded');
    assert.deepEqual(
      requests.map((r) => [r.forceRefresh, r.claims]),
      [
        [false, undefined],
        [true, 'eyJhY2Nlc3NfdG9rZW4iOnt9fQ=='],
      ],
    );
  });

  it('does not re-authenticate in a loop', async () => {
    const client = clientFor(emulator.mintToken());
    emulator.injectFault({ method: 'POST', status: 401, times: 5, wwwAuthenticate: 'Bearer error="insufficient_claims", claims="e30="' });
    const exchange = await client.execute(post(client));
    assert.equal(exchange.outcome, 'failed');
    assert.equal(exchange.attempts, 2);
  });

  it('cancels before sending and while waiting to retry, creating nothing', async () => {
    const client = clientFor(emulator.mintToken());
    const aborted = new AbortController();
    aborted.abort();
    assert.equal((await client.execute(post(client), { signal: aborted.signal })).outcome, 'cancelled');
    assert.equal(emulator.requests.length, 0);

    emulator.injectFault({ method: 'POST', status: 429, retryAfter: '5' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const exchange = await client.execute(post(client), { signal: controller.signal });
    assert.equal(exchange.outcome, 'cancelled');
    assert.equal(emulator.operationsOf(firstId).length, 0);
  });

  it('gives up when Retry-After exceeds the wait budget', async () => {
    const client = clientFor(emulator.mintToken(), { retry: { maxTotalWaitMs: 1000 } });
    emulator.injectFault({ method: 'POST', status: 429, retryAfter: '30' });
    const exchange = await client.execute(post(client));
    assert.equal(exchange.outcome, 'failed');
    assert.match(exchange.reason!, /beyond the 1 s wait budget/);
    assert.equal(exchange.attempts, 1);
  });

  it('reports a refused connection as a definite failure: nothing reached Graph', async () => {
    const { server, url } = await listen(() => undefined);
    server.close();
    const client = new GraphClient({ target: resolveGraphTarget('global', url), getToken: async () => 'secret-token-value', userAgent: 't' });
    const exchange = await client.execute(buildOperationRequest({ text: '{}', registrationId: firstId, apiVersion: 'beta', target: client.target }));
    assert.equal(exchange.outcome, 'failed');
    assert.match(exchange.reason!, /Could not connect \(ECONNREFUSED\)\. Nothing reached Graph/);
  });

  it('treats a 303 to a POST as an unknown outcome (it may follow processing) and sends once', async () => {
    let posts = 0;
    const { server, url } = await listen((req, res) => {
      if (req.method === 'POST') posts++;
      req.resume();
      res.writeHead(303, { location: '/beta/somewhere' }).end();
    });
    try {
      const client = new GraphClient({ target: resolveGraphTarget('global', url), getToken: async () => 'secret-token-value', userAgent: 't' });
      const exchange = await client.execute(buildOperationRequest({ text: '{}', registrationId: firstId, apiVersion: 'beta', target: client.target }));
      assert.equal(exchange.outcome, 'unknown');
      assert.equal(exchange.status, 303);
      assert.equal(posts, 1);
    } finally {
      server.close();
    }
  });

  it('does not read a response body beyond the limit', async () => {
    const { server, url } = await listen((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', pad: 'y'.repeat(200_000) }));
    });
    try {
      const client = new GraphClient({
        target: resolveGraphTarget('global', url),
        getToken: async () => 'secret-token-value',
        userAgent: 't',
        maxResponseBytes: 10_000,
      });
      const exchange = await client.execute(buildOperationRequest({ text: '{}', registrationId: firstId, apiVersion: 'beta', target: client.target }));
      assert.equal(exchange.outcome, 'succeeded');
      assert.equal(exchange.status, 201);
      assert.match(exchange.bodyText, /larger than 10000 bytes/);
    } finally {
      server.close();
    }
  });

  it('refuses to send a token anywhere but the target', async () => {
    const client = clientFor('secret-token-value');
    await assert.rejects(client.execute({ method: 'GET', url: 'https://graph.microsoft.com/beta/x', headers: {} }), UnsafeDestinationError);
    assert.equal(emulator.requests.length, 0);
  });

  it('never returns the token in headers, body or request description', async () => {
    const token = emulator.mintToken();
    const client = clientFor(token);
    emulator.injectFault({ method: 'POST', status: 400, echoAuthorization: true });
    const exchange = await client.execute(post(client));
    const everything = JSON.stringify(exchange);
    assert.ok(!everything.includes(token));
    assert.match(exchange.request.headers['Authorization']!, /^Bearer \[redacted\]$/);
  });
});
