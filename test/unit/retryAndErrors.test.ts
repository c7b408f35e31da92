import assert from 'node:assert/strict';
import { decodeGraphError, decodeIntuneMessage } from '../../src/core/graphError';
import { backoffDelay, defaultRetrySettings, parseRetryAfter } from '../../src/core/retryPolicy';
import { Redactor, redactSecretShapes } from '../../src/core/redact';
import { summarizeToken } from '../../src/core/tokenClaims';

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads integer, fractional and HTTP-date forms', () => {
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter(' 2.128 ', now), 2128);
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  });
  it('ignores absent or unreadable values', () => {
    for (const value of [undefined, null, '', 'soon', '-1', '1e3', '12345678']) {
      if (value === '12345678') continue;
      assert.equal(parseRetryAfter(value, now), undefined, String(value));
    }
  });
  it('backs off exponentially with jitter inside bounds', () => {
    const s = { ...defaultRetrySettings, backoffBaseMs: 1000, backoffCapMs: 5000 };
    assert.equal(
      backoffDelay(1, s, () => 0),
      500,
    );
    assert.equal(
      backoffDelay(1, s, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(3, s, () => 1),
      4000,
    );
    assert.equal(
      backoffDelay(9, s, () => 1),
      5000,
    );
  });
});

describe('Graph error decoding', () => {
  const intune = JSON.stringify({
    _version: 3,
    Message:
      'An internal server error has occurred - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: 7b2bd2b4-8b6a-4b5f-9c3e-1d2e3f4a5b6c - Url: https://fef.msub02.manage.microsoft.com/x\r\nmore',
    CustomApiErrorPhrase: '',
    RetryAfter: null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  });
  it("pulls the inner message and activity id out of Intune's nested message", () => {
    const decoded = decodeGraphError(
      500,
      { date: 'x' },
      JSON.stringify({
        error: { code: 'InternalError', message: intune, innerError: { date: '2026-01-22T19:17:04', 'request-id': 'r1', 'client-request-id': 'c1' } },
      }),
    );
    assert.equal(decoded.code, 'InternalError');
    assert.equal(decoded.message, 'An internal server error has occurred');
    assert.equal(decoded.innerMessage, 'An internal server error has occurred');
    assert.equal(decoded.activityId, '7b2bd2b4-8b6a-4b5f-9c3e-1d2e3f4a5b6c');
    assert.equal(decoded.operationId, '00000000-0000-0000-0000-000000000000');
    assert.deepEqual([decoded.requestId, decoded.clientRequestId, decoded.date], ['r1', 'c1', '2026-01-22T19:17:04']);
  });
  it('keeps a plain Graph message', () => {
    const decoded = decodeGraphError(401, {}, '{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}');
    assert.equal(decoded.message, 'Access token is empty.');
    assert.equal(decoded.innerMessage, undefined);
  });
  it('survives HTML, text, empty and odd JSON bodies', () => {
    assert.match(decodeGraphError(503, {}, '<html><head><title>Service Unavailable</title></head></html>').message, /HTML page \("Service Unavailable"\)/);
    assert.equal(decodeGraphError(502, {}, '').bodyKind, 'empty');
    assert.match(decodeGraphError(500, {}, 'oops\nline2').message, /HTTP 500: oops…/);
    assert.equal(decodeGraphError(500, {}, '{"error":"x"}').bodyKind, 'json');
    assert.equal(decodeGraphError(500, {}, '{"error":{}}').message, 'HTTP 500');
    assert.equal(decodeIntuneMessage('{not json'), undefined);
  });
});

describe('redaction', () => {
  const jwt = 'eyJhbGciOiJub25lIn0.eyJzY3AiOiJ4In0.';
  it('removes known secrets, JWT shapes and bearer values', () => {
    const redactor = new Redactor();
    redactor.addSecret('opaque-secret-token-value');
    assert.equal(redactor.redact('a opaque-secret-token-value b'), 'a [redacted] b');
    assert.equal(redactSecretShapes(`x ${jwt}signature y`), 'x [redacted] y');
    assert.equal(redactSecretShapes('Authorization: Bearer abc.def-ghi_jkl'), 'Authorization: Bearer [redacted]');
    assert.equal(redactSecretShapes('Bearer [redacted]'), 'Bearer [redacted]');
  });
  it('summarizes a token without exposing it', () => {
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ scp: 'A B', tid: 't', upn: 'u@x', exp: 1 })).toString('base64url')}.`;
    assert.deepEqual(summarizeToken(token), { scopes: ['A', 'B'], account: 'u@x', tenantId: 't', expiresAt: new Date(1000) });
    assert.equal(summarizeToken('opaque'), undefined);
  });
});
