// @ts-check
// node-fetch 2 prefers Node's own URL and keeps whatwg-url only as a fallback for old runtimes; the
// fallback would add ~280 KiB of Unicode tables to every bundle, so the bundles get Node's URL instead.
module.exports = { URL: require('node:url').URL };
