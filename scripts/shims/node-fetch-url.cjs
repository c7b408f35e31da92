// @ts-check
// node-fetch 2 parses every request URL with the legacy url.parse(), which Node 24 reports as deprecated
// (DEP0169, printed in VS Code's extension host). node-fetch first normalizes an absolute URL with WHATWG
// URL and then only reads the legacy object's fields (getNodeRequestOptions spreads them into the
// http.request options; Request#url formats it back). This gives node-fetch, and only node-fetch (see
// scripts/build.mjs), the same object built from WHATWG URL, so no deprecated API is called.
const { URL } = require('node:url');

// url.parse() percent-escapes these even where WHATWG URL leaves them as they are.
const legacyEscapes = /['{}|^`]/g;
/** @param {string} text */
const escape = (text) => text.replace(legacyEscapes, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** @param {string} text */
function parse(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    // A relative URL: node-fetch refuses it ("Only absolute URLs are supported"), as it does url.parse's.
    return { protocol: null, slashes: null, auth: null, host: null, port: null, hostname: null, hash: null, search: null, query: null, pathname: text, path: text, href: text };
  }
  const href = escape(url.href);
  const beforeHash = href.split('#')[0];
  const search = url.search ? escape(url.search) : beforeHash.endsWith('?') ? '?' : null;
  const pathname = escape(url.pathname);
  const auth = url.username || url.password
    ? decodeURIComponent(url.username) + (url.password ? `:${decodeURIComponent(url.password)}` : '')
    : null;
  return {
    protocol: url.protocol,
    slashes: href.startsWith(`${url.protocol}//`) ? true : null,
    auth,
    host: url.host,
    port: url.port || null,
    // url.parse gives an IPv6 address without its brackets, as http.request expects.
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    hash: url.hash ? escape(url.hash) : null,
    search,
    query: search === null ? null : search.slice(1),
    pathname,
    path: pathname + (search ?? ''),
    href,
  };
}

/** node-fetch formats only what parse() above returned. */
/** @param {{ href: string }} parsed */
function format(parsed) {
  return parsed.href;
}

module.exports = { URL, parse, format };
