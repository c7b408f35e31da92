import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleIds } from '../../src/emulator';
import { resolveGraphTarget } from '../../src/core/clouds';
import { requestBodyFromText } from '../../src/core/operationRequest';
import { prepareOperation, prepareOperations } from '../../src/core/sendOperation';
import { localOnlyProperties, registrationTargetsOf, validateOperationText } from '../../src/core/validation';

const root = join(__dirname, '..', '..', '..');
const a = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const b = sampleIds.registrations.meganAndroidOutlook;
const c = sampleIds.registrations.alexIphoneOutlook;
const client = { target: resolveGraphTarget('global') };
const problemsOf = (value: unknown) => validateOperationText(typeof value === 'string' ? value : JSON.stringify(value, null, 2)).problems;

describe('$registrationIds: one file, several registrations', () => {
  it('is declared local-only in the schema, with documentation and completion for editors', () => {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', 'managedAppOperation.schema.json'), 'utf8')) as {
      properties: Record<
        string,
        {
          'x-localOnly'?: boolean;
          markdownDescription?: string;
          description?: string;
          defaultSnippets?: unknown[];
          pattern?: string;
          items?: { pattern?: string };
        }
      >;
    };
    const property = schema.properties['$registrationIds']!;
    assert.equal(property['x-localOnly'], true);
    assert.match(property.markdownDescription ?? '', /not both/);
    assert.match(property.description ?? '', /Removed before the request is sent/);
    assert.ok(property.defaultSnippets?.length, 'a completion snippet');
    assert.equal(property.items?.pattern, schema.properties['$registrationId']!.pattern, 'the same GUID rule as $registrationId');
    assert.deepEqual([...localOnlyProperties].sort(), ['$registrationId', '$registrationIds', '$schema']);
  });

  it('accepts a list of distinct GUIDs', () => {
    assert.deepEqual(problemsOf({ $registrationIds: [a, b.toUpperCase()], displayName: 'Wipe' }), []);
  });

  it('rejects an id that is not a GUID, at that item', () => {
    const [problem, ...rest] = problemsOf({ $registrationIds: [a, '../../users'] });
    assert.equal(rest.length, 0);
    assert.equal(problem?.pointer, '/$registrationIds/1');
    assert.equal(problem?.code, 'schema.pattern');
    assert.match(problem!.message, /^item 2 of "\$registrationIds" must be a GUID/);
    assert.equal(problem?.line, 4, 'placed on the item itself');
  });

  it('rejects the same id twice, also when only the letter case differs', () => {
    const [exact] = problemsOf({ $registrationIds: [a, b, a] });
    assert.equal(exact?.code, 'schema.uniqueItems');
    assert.equal(exact?.pointer, '/$registrationIds/2');
    assert.match(exact!.message, /items 1 and 3/);
    const [cased, ...rest] = problemsOf({ $registrationIds: [a, a.toUpperCase()] });
    assert.equal(rest.length, 0);
    assert.equal(cased?.code, 'target.duplicate');
    assert.equal(cased?.pointer, '/$registrationIds/1');
    assert.equal(cased?.severity, 'error');
  });

  it('rejects an empty list and a list that is not an array', () => {
    assert.equal(problemsOf({ $registrationIds: [] })[0]?.code, 'schema.minItems');
    assert.match(problemsOf({ $registrationIds: [] })[0]!.message, /at least 1 registration/);
    assert.equal(problemsOf({ $registrationIds: a })[0]?.code, 'schema.type');
  });

  it("rejects a file with both $registrationId and $registrationIds, at $registrationId, in the schema's words", () => {
    const [problem, ...rest] = problemsOf({ $registrationId: a, $registrationIds: [b] });
    assert.equal(rest.length, 0);
    assert.equal(problem?.pointer, '/$registrationId');
    assert.equal(problem?.severity, 'error');
    assert.equal(problem?.message, 'Use either "$registrationId" or "$registrationIds", not both: remove one of them');
  });

  it("names the file's targets: $registrationIds, else $registrationId, lower-cased and each once", () => {
    assert.deepEqual(registrationTargetsOf({ $registrationIds: [a.toUpperCase(), b] }), [a, b]);
    assert.deepEqual(registrationTargetsOf({ $registrationId: c }), [c]);
    assert.deepEqual(registrationTargetsOf({ $registrationIds: ['x', b], $registrationId: c }), [b]);
    assert.deepEqual(registrationTargetsOf({ displayName: 'x' }), []);
    assert.deepEqual(registrationTargetsOf(undefined), []);
  });

  it('is removed before sending, with $registrationId, leaving the rest byte for byte', () => {
    const text = '{\n  "$registrationIds": [\n    "' + a + '",\n    "' + b + '"\n  ],\n  "displayName":   "Wipe",\n  "n@x.y": 1.50\n}';
    assert.equal(requestBodyFromText(text), '{\n  "displayName":   "Wipe",\n  "n@x.y": 1.50\n}');
    const both = '{"displayName":"a","$registrationIds":["' + a + '"],"$registrationId":"' + b + '","state":"s"}';
    assert.equal(requestBodyFromText(both), '{"displayName":"a","state":"s"}');
    assert.equal(requestBodyFromText('{"state": "$registrationIds"}'), '{"state": "$registrationIds"}');
  });

  it('prepares one request per registration, in order, each with the same body', () => {
    const text = JSON.stringify({ $registrationIds: [b, c], displayName: 'Wipe', state: 'pending' });
    const prepared = prepareOperations('f.mao.json', text, client, 'beta');
    assert.deepEqual(
      prepared.map((p) => p.registrationId),
      [b, c],
    );
    assert.deepEqual(
      prepared.map((p) => p.request?.url),
      [b, c].map((id) => `https://graph.microsoft.com/beta/deviceAppManagement/managedAppRegistrations/${id}/operations`),
    );
    assert.deepEqual(new Set(prepared.map((p) => p.request?.body)), new Set(['{"displayName":"Wipe","state":"pending"}']));
  });

  it('lets an explicit target win over the list, and a single-target preparation refuses a list of several', () => {
    const text = JSON.stringify({ $registrationIds: [b, c], displayName: 'Wipe' });
    assert.deepEqual(
      prepareOperations('f.mao.json', text, client, 'beta', a).map((p) => p.registrationId),
      [a],
    );
    const refused = prepareOperation('f.mao.json', text, client, 'beta');
    assert.equal(refused.request, undefined);
    assert.equal(refused.problems[0]?.code, 'target.several');
    assert.equal(prepareOperation('f.mao.json', JSON.stringify({ $registrationIds: [c] }), client, 'beta').registrationId, c);
  });

  it('prepares nothing for a file with both keys: a validation problem', () => {
    const [prepared, ...rest] = prepareOperations('f.mao.json', JSON.stringify({ $registrationId: a, $registrationIds: [b] }), client, 'beta');
    assert.equal(rest.length, 0);
    assert.equal(prepared?.request, undefined);
    assert.match(prepared!.problems[0]!.message, /not both/);
  });
});
