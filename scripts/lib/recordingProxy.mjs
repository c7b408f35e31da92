// @ts-check
// A transparent HTTP recorder in front of a loopback server (the Graph emulator): point the extension's
// graphUrl at it and a test sees exactly what went over the wire (paths, headers, answers, tokens).
import * as http from 'node:http';

/**
 * @typedef {object} Exchange
 * @property {string} method
 * @property {string} path
 * @property {http.IncomingHttpHeaders} requestHeaders
 * @property {number} status
 * @property {http.IncomingHttpHeaders} responseHeaders
 * @property {string} responseBody
 *
 * @typedef {object} RecordingProxy
 * @property {string} url where to send requests instead of the target
 * @property {Exchange[]} exchanges every answered request, in the order answered
 * @property {() => string[]} tokens every token issued by the emulator's sign-in or carried in an Authorization header
 * @property {() => Promise<void>} close
 */

/**
 * @param {string} targetUrl the server to forward to (http on loopback)
 * @returns {Promise<RecordingProxy>}
 */
export function startRecordingProxy(targetUrl) {
  const target = new URL(targetUrl);
  /** @type {Exchange[]} */
  const exchanges = [];
  let ownOrigin = '';
  // The target writes its own origin into @odata.nextLink and Location; the client must see ours.
  /** @param {string} text */
  const rewrite = (text) => text.split(target.origin).join(ownOrigin);

  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const upstream = http.request({ host: target.hostname, port: target.port, method, path, headers: req.headers }, (answer) => {
        /** @type {Buffer[]} */
        const body = [];
        answer.on('data', (chunk) => body.push(chunk));
        answer.on('end', () => {
          const text = rewrite(Buffer.concat(body).toString('utf8'));
          const headers = { ...answer.headers };
          if (headers.location) headers.location = rewrite(headers.location);
          if (headers['content-length'] !== undefined) headers['content-length'] = String(Buffer.byteLength(text));
          const status = answer.statusCode ?? 502;
          exchanges.push({ method, path, requestHeaders: req.headers, status, responseHeaders: answer.headers, responseBody: text });
          res.writeHead(status, headers);
          res.end(text);
        });
      });
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      upstream.end(Buffer.concat(chunks));
    });
  });

  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const tokens = () => {
    /** @type {Set<string>} */
    const found = new Set();
    for (const x of exchanges) {
      const auth = x.requestHeaders.authorization;
      if (auth) found.add(auth.replace(/^Bearer\s+/i, ''));
      if (x.path.startsWith('/_emulator/token')) {
        try {
          const token = JSON.parse(x.responseBody).access_token;
          if (token) found.add(token);
        } catch {}
      }
    }
    return [...found];
  };

  /** @type {() => Promise<void>} */
  const close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      ownOrigin = `http://127.0.0.1:${address.port}`;
      resolve({ url: ownOrigin, exchanges, tokens, close });
    });
  });
}
