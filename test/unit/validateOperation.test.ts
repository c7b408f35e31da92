import assert from 'node:assert/strict';
import { maxNestingDepth, validateOperationText, maxOperationFileBytes } from '../../src/core/validation';

const problemsOf = (text: string) => validateOperationText(text).problems;

describe('validateOperationText', () => {
  it('accepts a complete operation with local keys and annotations', () => {
    const result = validateOperationText(
      JSON.stringify({
        $schema: './x.json',
        $registrationId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        '@odata.type': '#microsoft.graph.managedAppOperation',
        displayName: 'Wipe',
        state: 'pending',
        version: '1',
        '@contoso.note': 'x',
        'displayName@odata.comment': 'y',
      }),
    );
    assert.equal(result.valid, true);
    assert.deepEqual(result.problems, []);
  });

  it('accepts null for nullable strings and a UTF-8 BOM', () => {
    const result = validateOperationText('\uFEFF{"displayName": null, "state": null, "version": null}');
    assert.equal(result.valid, true);
  });

  it('refuses JSON nested too deep with one problem where the limit is passed, not a stack overflow', () => {
    const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
    for (const depth of [2_000, 100_000]) {
      const problems = problemsOf(`{"displayName": ${nested(depth)}}`);
      // The object is the first level, so the limit is passed at the bracket that opens level 65.
      assert.deepEqual(
        problems.map((p) => [p.code, p.severity, p.line, p.column]),
        [['json.tooDeep', 'error', 1, 17 + maxNestingDepth - 1]],
      );
      assert.match(problems[0]!.message, /Nested more than 64 levels deep/);
    }
    const tricky = ['[},'.repeat(100_000), '{"displayName": "unterminated\n' + nested(100_000), '{"a": [' + '{"b": ['.repeat(50_000)];
    for (const text of tricky)
      assert.deepEqual(
        problemsOf(text).map((p) => p.code),
        ['json.tooDeep'],
      );
  });

  it('accepts nesting up to the limit, and does not count brackets in strings or comments', () => {
    const annotation = `{"@contoso.tree": ${'['.repeat(maxNestingDepth - 1)}${']'.repeat(maxNestingDepth - 1)}, "displayName": "${'['.repeat(100)}"}`;
    assert.deepEqual(problemsOf(annotation), []);
    const comment = problemsOf(`{\n  // ${'['.repeat(100)}\n  "displayName": "a"\n}`);
    assert.deepEqual(
      comment.map((p) => p.code),
      ['json.syntax'],
    );
    assert.match(comment[0]!.message, /Comments are not allowed/);
  });

  it('reports comments and trailing commas as errors with positions', () => {
    const problems = problemsOf('{\n  // note\n  "displayName": "a",\n}');
    assert.ok(problems.length >= 2);
    const comment = problems.find((p) => /Comments are not allowed/.test(p.message));
    assert.deepEqual([comment?.line, comment?.column, comment?.severity], [2, 3, 'error']);
    assert.ok(problems.some((p) => /trailing comma/.test(p.message) && p.line === 4));
  });

  it('reports an unknown property at its key, with a pointer', () => {
    const [problem, ...rest] = problemsOf('{\n  "displayName": "a",\n  "colour": "red"\n}');
    assert.equal(rest.length, 0);
    assert.equal(problem?.severity, 'error');
    assert.equal(problem?.pointer, '/colour');
    assert.deepEqual([problem?.line, problem?.column], [3, 3]);
    assert.match(problem!.message, /"colour" is not allowed/);
  });

  it('reports a wrong @odata.type and wrong value types', () => {
    const problems = problemsOf('{"@odata.type": "#microsoft.graph.other", "state": 3}');
    assert.deepEqual(
      problems.map((p) => [p.pointer, p.code]),
      [
        ['/@odata.type', 'schema.const'],
        ['/state', 'schema.type'],
      ],
    );
  });

  it('warns (not errors) on server-managed properties', () => {
    const result = validateOperationText('{"id": "x", "lastModifiedDateTime": "2026-01-31T09:30Z", "displayName": "a"}');
    assert.equal(result.valid, true);
    assert.deepEqual(
      result.problems.map((p) => [p.pointer, p.severity]),
      [
        ['/id', 'warning'],
        ['/lastModifiedDateTime', 'warning'],
      ],
    );
  });

  for (const [value, ok] of [
    ['2026-01-31T09:30:00Z', true],
    ['2026-01-31T09:30Z', true],
    ['2026-01-31T09:30:00.123456789012+05:30', true],
    ['2026-01-31T09:30:00.1234567890123Z', false],
    ['2026-01-31T09:30:00', false],
    ['2026-13-01T00:00Z', false],
    ['2026-01-31', false],
  ] as const) {
    it(`checks lastModifiedDateTime ${value} against the OData rule (${ok ? 'valid' : 'invalid'})`, () => {
      const result = validateOperationText(JSON.stringify({ lastModifiedDateTime: value }));
      assert.equal(result.valid, ok);
      if (!ok) assert.match(result.problems.find((p) => p.severity === 'error')!.message, /DateTimeOffset/);
    });
  }

  it('rejects a $registrationId that is not a GUID', () => {
    const [problem] = problemsOf('{"$registrationId": "../../users"}');
    assert.equal(problem?.pointer, '/$registrationId');
    assert.match(problem!.message, /GUID/);
  });

  it('rejects duplicate keys, arrays and empty documents', () => {
    assert.match(problemsOf('{"state": "a", "state": "b"}')[0]!.message, /Duplicate property "state"/);
    assert.match(problemsOf('[]')[0]!.message, /must be a JSON object/);
    assert.equal(validateOperationText('').valid, false);
    assert.equal(validateOperationText('   ').valid, false);
  });

  it('rejects raw control characters that lenient parsers accept', () => {
    assert.equal(validateOperationText('{"displayName": "a\u0001b"}').valid, false);
  });

  it('refuses a file larger than Graph accepts, without parsing it', () => {
    const huge = '{"displayName": "' + 'x'.repeat(maxOperationFileBytes) + '"}';
    const result = validateOperationText(huge);
    assert.equal(result.valid, false);
    assert.equal(result.problems[0]!.code, 'file.tooLarge');
  });
});
