import assert from 'node:assert/strict';
import { batchEnvelope, envelopeRefusedWhole, readBatchAnswers } from '../../src/core/engine/batchEnvelope';

describe('batch envelope', () => {
  const odd = '{ "displayName" :"Wipe  corporate",\n\t"state": "pending", "@contoso.priority":  1.50 , "prop@contoso.note": 1E+2 }';

  it('splices each body in as written: number spelling and spacing survive, the envelope is valid JSON', () => {
    const envelope = batchEnvelope([
      { id: '1', url: '/deviceAppManagement/managedAppRegistrations/a/operations', clientRequestId: 'c1', body: odd },
      { id: '2', url: '/deviceAppManagement/managedAppRegistrations/b/operations', clientRequestId: 'c2', body: '{"displayName":"x"}' },
    ]);
    assert.ok(envelope.includes(`"body":${odd}}`), 'the body text is in the envelope unchanged');
    const parsed = JSON.parse(envelope) as { requests: { id: string; method: string; url: string; headers: Record<string, string>; body: unknown }[] };
    assert.equal(parsed.requests.length, 2);
    assert.deepEqual(
      parsed.requests.map((r) => [r.id, r.method, r.url]),
      [
        ['1', 'POST', '/deviceAppManagement/managedAppRegistrations/a/operations'],
        ['2', 'POST', '/deviceAppManagement/managedAppRegistrations/b/operations'],
      ],
    );
    assert.deepEqual(parsed.requests[0]!.headers, { 'Content-Type': 'application/json', Accept: 'application/json', 'client-request-id': 'c1' });
  });

  it('reads inner answers by id, headers lower-cased, bodies as JSON and as text', () => {
    const answers = readBatchAnswers(
      JSON.stringify({
        responses: [
          { id: '2', status: 429, headers: { 'Retry-After': '1.5' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } },
          { id: '1', status: 201, headers: { 'Content-Type': 'application/json' }, body: { id: 'op-1' } },
          { id: '3', status: 502, body: '<html>bad gateway</html>' },
        ],
      }),
    )!;
    assert.equal(answers.get('2')!.headers['retry-after'], '1.5');
    assert.equal(answers.get('1')!.status, 201);
    assert.deepEqual(answers.get('1')!.body, { id: 'op-1' });
    assert.equal(answers.get('3')!.bodyText, '<html>bad gateway</html>');
    assert.equal(readBatchAnswers('not json'), undefined);
    assert.equal(readBatchAnswers('{"value":[]}'), undefined);
    assert.equal(
      readBatchAnswers('{"responses":[{"id":"1","status":201},{"id":"1","status":500}]}'),
      undefined,
      'an id answered twice is not an answer to trust',
    );
  });

  it('takes a 4xx of the envelope as "nothing processed" only when Graph says so in its own error shape', () => {
    const graphError = JSON.stringify({ error: { code: 'BadRequest', message: 'Invalid batch payload format.' } });
    assert.equal(envelopeRefusedWhole(400, graphError), true);
    assert.equal(envelopeRefusedWhole(404, graphError), true);
    assert.equal(envelopeRefusedWhole(400, '<html>proxy says no</html>'), false);
    assert.equal(envelopeRefusedWhole(408, graphError), false, 'a timeout proves nothing');
    assert.equal(envelopeRefusedWhole(502, graphError), false);
    assert.equal(envelopeRefusedWhole(400, JSON.stringify({ error: { code: 'x' }, responses: [] })), false);
  });
});
