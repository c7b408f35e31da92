import assert from 'node:assert/strict';
import { resolveGraphTarget } from '../../src/core/clouds';
import { buildOperationRequest, InvalidRegistrationIdError, operationsPath, requestBodyFromText } from '../../src/core/operationRequest';
import { propertyRemovalEdits } from '../../src/core/validation';

const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('operation request', () => {
  it('removes only the local keys and keeps everything else as written', () => {
    const text = '\uFEFF{\n  "$schema": "./s.json",\n  "$registrationId": "' + id + '",\n  "displayName":   "Wipe",\n  "n@x.y": 1.50\n}';
    const body = requestBodyFromText(text);
    assert.equal(body, '{\n  "displayName":   "Wipe",\n  "n@x.y": 1.50\n}');
    assert.deepEqual(JSON.parse(body), { displayName: 'Wipe', 'n@x.y': 1.5 });
  });

  it('removes local keys wherever they stand', () => {
    assert.equal(requestBodyFromText('{"a@b.c": 1, "$registrationId": "x"}'), '{"a@b.c": 1}');
    assert.equal(requestBodyFromText('{\n  "$registrationId": "x"\n}'), '{\n\n}');
    assert.equal(requestBodyFromText('{"state":"s","$schema":"y","version":"1"}'), '{"state":"s","version":"1"}');
    assert.equal(requestBodyFromText('{"state": "$schema"}'), '{"state": "$schema"}');
  });

  it('builds the POST for each API version and cloud', () => {
    const request = buildOperationRequest({
      text: '{"displayName":"a"}',
      registrationId: id.toUpperCase(),
      apiVersion: 'v1.0',
      target: resolveGraphTarget('usgov'),
    });
    assert.equal(request.method, 'POST');
    assert.equal(request.url, `https://graph.microsoft.us/v1.0/deviceAppManagement/managedAppRegistrations/${id}/operations`);
    assert.equal(request.headers['Content-Type'], 'application/json');
    assert.equal(request.body, '{"displayName":"a"}');
  });

  for (const hostile of ['', '..', '3f2504e0-4f89-11d3-9a0c-0305e82c3301/../../x', "x' or 1=1", '3f2504e0-4f89-11d3-9a0c-0305e82c3301?$top=1', '%2e%2e']) {
    it(`refuses the id ${JSON.stringify(hostile)} before building a path`, () => {
      assert.throws(() => operationsPath('beta', hostile), InvalidRegistrationIdError);
    });
  }
});

describe('propertyRemovalEdits', () => {
  const apply = (text: string, names: string[]): string =>
    propertyRemovalEdits(text, names).reduce((t, e) => t.slice(0, e.offset) + e.content + t.slice(e.offset + e.length), text);

  it('removes adjacent server-managed properties in one edit, keeping the rest verbatim', () => {
    const text = '{\n  "id": "x",\n  "displayName":  "a",\n  "lastModifiedDateTime": "2026-01-01T00:00Z"\n}';
    assert.equal(propertyRemovalEdits(text, ['id', 'lastModifiedDateTime']).length, 1);
    assert.equal(apply(text, ['id', 'lastModifiedDateTime']), '{\n  "displayName":  "a"\n}');
    assert.equal(apply('{"a@b.c":1,"id":"x","lastModifiedDateTime":"y"}', ['id', 'lastModifiedDateTime']), '{"a@b.c":1}');
  });

  it('does nothing when the properties are absent', () => {
    assert.deepEqual(propertyRemovalEdits('{"displayName": "a"}', ['id']), []);
  });
});
