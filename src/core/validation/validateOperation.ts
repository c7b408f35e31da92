import type { Node } from 'jsonc-parser';
import { fromPointer, nodeAtPointer, parseStrictJson, type ParsedJson } from './jsonText';
import { hasErrors, wholeFileProblem, type Problem, type Severity } from './problems';
import { knownProperties, schemaErrors, schemaMessages, serverManagedProperties, type SchemaError } from './schema/generated/operationValidator';
import { registrationIdsProperty } from './registrationTargets';

export interface OperationValidation {
  readonly valid: boolean;
  readonly problems: Problem[];
  /** The parsed document, when the text is JSON at all. */
  readonly parsed: ParsedJson;
  /** The body as an object, when the text is a JSON object. */
  readonly operation?: Record<string, unknown>;
}

/** The largest file accepted: Graph refuses request bodies above 4 MB. */
export const maxOperationFileBytes = 4 * 1024 * 1024;

export function validateOperationText(text: string): OperationValidation {
  if (Buffer.byteLength(text, 'utf8') > maxOperationFileBytes) {
    const parsed = parseStrictJson('');
    const problem = wholeFileProblem(
      'file.tooLarge',
      `The file is larger than ${maxOperationFileBytes / 1024 / 1024} MB, more than Graph accepts in a request body`,
    );
    return { valid: false, problems: [problem], parsed };
  }
  const parsed = parseStrictJson(text);
  if (parsed.problems.length > 0) {
    return { valid: false, problems: parsed.problems, parsed };
  }
  const problems: Problem[] = [];
  for (const error of schemaErrors(parsed.value)) {
    problems.push(schemaProblem(parsed, error));
  }
  const operation = isPlainObject(parsed.value) ? parsed.value : undefined;
  if (operation) {
    for (const name of serverManagedProperties) {
      if (name in operation) {
        problems.push(problemAt(parsed, `/${name}`, true, 'warning', 'serverManaged', `"${name}" is set by the service; Graph ignores the value sent here`));
      }
    }
    problems.push(...caseOnlyDuplicates(parsed, operation));
  }
  problems.sort((a, b) => a.offset - b.offset || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return { valid: !hasErrors(problems), problems, parsed, ...(operation ? { operation } : {}) };
}

function schemaProblem(parsed: ParsedJson, error: SchemaError): Problem {
  const property = describePointer(error.instancePath);
  const own = schemaMessages[error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/'))];
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params['additionalProperty']);
      return problemAt(
        parsed,
        `${error.instancePath}/${escapePointer(name)}`,
        true,
        'error',
        'schema.additionalProperties',
        `Property "${name}" is not allowed: a managed app operation has only ${knownProperties.filter((k) => !k.startsWith('$')).join(', ')} (and OData annotations)`,
      );
    }
    case 'const':
      return problemAt(parsed, error.instancePath, false, 'error', 'schema.const', `${property} must be "${String(error.params['allowedValue'])}"`);
    case 'pattern':
      return problemAt(parsed, error.instancePath, false, 'error', 'schema.pattern', `${property} ${own?.pattern ?? error.message ?? 'has the wrong format'}`);
    case 'uniqueItems': {
      const later = Math.max(Number(error.params['i']), Number(error.params['j']));
      return problemAt(
        parsed,
        `${error.instancePath}/${later}`,
        false,
        'error',
        'schema.uniqueItems',
        `${property} lists the same value twice (items ${Math.min(Number(error.params['i']), Number(error.params['j'])) + 1} and ${later + 1}): each registration gets one operation`,
      );
    }
    case 'minItems':
      return problemAt(
        parsed,
        error.instancePath,
        false,
        'error',
        'schema.minItems',
        `${property} must name at least ${String(error.params['limit'])} registration: add one, or remove the property`,
      );
    case 'type': {
      const expected = String(error.params['type']).replace(',', ' or ');
      return problemAt(
        parsed,
        error.instancePath,
        false,
        'error',
        'schema.type',
        property ? `${property} must be ${expected}` : `The operation must be a JSON ${expected}`,
      );
    }
    default:
      return problemAt(
        parsed,
        error.instancePath,
        false,
        'error',
        `schema.${error.keyword}`,
        own?.any ?? `${property ? `${property} ` : ''}${error.message ?? 'is not valid'}`,
      );
  }
}

/** `"state"`, or `item 2 of "$registrationIds"` for an array element. */
function describePointer(pointer: string): string {
  const segments = fromPointer(pointer);
  const last = segments[segments.length - 1];
  if (segments.length === 2 && last !== undefined && /^\d+$/.test(last)) return `item ${Number(last) + 1} of "${segments[0]}"`;
  return segments.length ? `"${segments.join('/')}"` : '';
}

/** Ids that differ only in letter case name the same registration: the schema's uniqueItems cannot see that. */
function caseOnlyDuplicates(parsed: ParsedJson, operation: Record<string, unknown>): Problem[] {
  const ids = registrationIdsProperty(operation);
  if (!ids) return [];
  const problems: Problem[] = [];
  ids.forEach((id, index) => {
    const first = ids.findIndex((other) => other.toLowerCase() === id.toLowerCase());
    if (first < index && ids[first] !== id) {
      problems.push(
        problemAt(
          parsed,
          `/$registrationIds/${index}`,
          false,
          'error',
          'target.duplicate',
          `item ${index + 1} of "$registrationIds" is item ${first + 1} again (letter case aside): each registration gets one operation`,
        ),
      );
    }
  });
  return problems;
}

function problemAt(parsed: ParsedJson, pointer: string, atKey: boolean, severity: Severity, code: string, message: string): Problem {
  const node: Node | undefined = nodeAtPointer(parsed.root, pointer, atKey) ?? parsed.root;
  const offset = node?.offset ?? 0;
  const length = node?.length ?? 0;
  return { ...parsed.lines.position(offset), offset, length, pointer, severity, message, code };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
