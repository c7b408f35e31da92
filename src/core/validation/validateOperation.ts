import type { Node } from 'jsonc-parser';
import { nodeAtPointer, parseStrictJson, type ParsedJson } from './jsonText';
import { hasErrors, wholeFileProblem, type Problem, type Severity } from './problems';
import {
  knownProperties, patternMessages, schemaErrors, serverManagedProperties, type SchemaError,
} from './schema/generated/operationValidator';

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
    const problem = wholeFileProblem('file.tooLarge',
      `The file is larger than ${maxOperationFileBytes / 1024 / 1024} MB, more than Graph accepts in a request body`);
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
        problems.push(problemAt(parsed, `/${name}`, true, 'warning', 'serverManaged',
          `"${name}" is set by the service; Graph ignores the value sent here`));
      }
    }
  }
  problems.sort((a, b) => a.offset - b.offset || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return { valid: !hasErrors(problems), problems, parsed, ...(operation ? { operation } : {}) };
}

function schemaProblem(parsed: ParsedJson, error: SchemaError): Problem {
  const property = error.instancePath.slice(1);
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params['additionalProperty']);
      return problemAt(parsed, `${error.instancePath}/${escapePointer(name)}`, true, 'error', 'schema.additionalProperties',
        `Property "${name}" is not allowed: a managed app operation has only ${knownProperties.filter((k) => !k.startsWith('$')).join(', ')} (and OData annotations)`);
    }
    case 'const':
      return problemAt(parsed, error.instancePath, false, 'error', 'schema.const',
        `"${property}" must be "${String(error.params['allowedValue'])}"`);
    case 'pattern':
      return problemAt(parsed, error.instancePath, false, 'error', 'schema.pattern',
        `"${property}" ${patternMessages[property] ?? error.message ?? 'has the wrong format'}`);
    case 'type': {
      const expected = String(error.params['type']).replace(',', ' or ');
      return problemAt(parsed, error.instancePath, false, 'error', 'schema.type',
        property ? `"${property}" must be ${expected}` : `The operation must be a JSON ${expected}`);
    }
    default:
      return problemAt(parsed, error.instancePath, false, 'error', `schema.${error.keyword}`,
        `${property ? `"${property}" ` : ''}${error.message ?? 'is not valid'}`);
  }
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
