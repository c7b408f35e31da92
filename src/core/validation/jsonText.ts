import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Problem } from './problems';

const bom = '\uFEFF';

export function stripBom(text: string): string {
  return text.startsWith(bom) ? text.slice(1) : text;
}

/** Maps offsets to 1-based line and column. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */ || (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10)) {
        this.lineStarts.push(i + 1);
      }
    }
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low]! + 1 };
  }
}

export function toPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function fromPointer(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export interface ParsedJson {
  /** The text without its BOM: offsets in problems refer to it. */
  readonly text: string;
  readonly root: Node | undefined;
  readonly value: unknown;
  readonly lines: LineIndex;
  readonly problems: Problem[];
}

const syntaxMessages: Record<string, string> = {
  InvalidCommentToken: 'Comments are not allowed: Graph accepts strict JSON only',
  PropertyNameExpected: 'Property name expected (a trailing comma is not allowed in strict JSON)',
  ValueExpected: 'Value expected (a trailing comma is not allowed in strict JSON)',
};

/**
 * Arrays and objects nested deeper than this are refused before parsing (the parser and everything after it
 * recurse once a level). A managed app operation is one flat object; 64 is also the default depth limit of
 * .NET's JSON readers.
 */
export const maxNestingDepth = 64;

/**
 * Parses strict JSON (RFC 8259) and keeps the syntax tree for positions. Comments, trailing commas
 * and duplicate keys are errors: Graph receives the text as it is.
 */
export function parseStrictJson(rawText: string): ParsedJson {
  const text = stripBom(rawText);
  const lines = new LineIndex(text);
  const problems: Problem[] = [];
  const at = (offset: number, length: number, message: string, code: string, pointer = ''): Problem => ({
    ...lines.position(offset),
    offset,
    length,
    pointer,
    severity: 'error',
    message,
    code,
  });

  const tooDeep = offsetBeyondDepth(text, maxNestingDepth);
  if (tooDeep !== undefined) {
    problems.push(
      at(tooDeep, 1, `Nested more than ${maxNestingDepth} levels deep: a managed app operation is a flat object, so this cannot be one`, 'json.tooDeep'),
    );
    return { text, root: undefined, value: undefined, lines, problems };
  }

  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  for (const error of errors) {
    // The parser often reports one mistake twice at the same place (a trailing comma: no name, no value).
    if (problems.some((p) => p.offset === error.offset)) continue;
    const name = printParseErrorCode(error.error);
    problems.push(at(error.offset, Math.max(error.length, 1), syntaxMessages[name] ?? describeSyntaxError(name), 'json.syntax'));
  }
  if (problems.length === 0) {
    try {
      JSON.parse(text);
    } catch (error) {
      // jsonc-parser is lenient about a few things strict JSON forbids (e.g. raw control characters in strings).
      const match = /position (\d+)/.exec(String(error));
      const offset = match ? Number(match[1]) : 0;
      problems.push(at(offset, 1, `Invalid JSON: ${(error as Error).message}`, 'json.syntax'));
    }
  }
  if (root && problems.length === 0) {
    findDuplicateKeys(root, [], (node, path) => {
      problems.push(
        at(
          node.offset,
          node.length,
          `Duplicate property "${String(path[path.length - 1])}": Graph would keep only one of them`,
          'json.duplicateKey',
          toPointer(path),
        ),
      );
    });
  }
  const value = root && problems.length === 0 ? getNodeValue(root) : undefined;
  return { text, root, value, lines, problems };
}

/**
 * Where an array or object opens more than `limit` levels deep, found in one pass without recursion. Strings
 * and comments are skipped as jsonc-parser's scanner skips them (a string ends at a line break too), and a
 * closing bracket only closes the kind it matches: the count is never below the parser's own depth.
 */
function offsetBeyondDepth(text: string, limit: number): number | undefined {
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n' && text[i] !== '\r') i += text[i] === '\\' ? 2 : 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === '{' || ch === '[') {
      open.push(ch);
      if (open.length > limit) return i;
    } else if ((ch === '}' && open.at(-1) === '{') || (ch === ']' && open.at(-1) === '[')) {
      open.pop();
    }
  }
  return undefined;
}

function describeSyntaxError(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/ ([A-Z])/g, (_, c: string) => ' ' + c.toLowerCase());
}

function findDuplicateKeys(node: Node, path: (string | number)[], report: (keyNode: Node, path: (string | number)[]) => void): void {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      if (seen.has(key)) report(keyNode, [...path, key]);
      seen.add(key);
      if (valueNode) findDuplicateKeys(valueNode, [...path, key], report);
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, index) => findDuplicateKeys(child, [...path, index], report));
  }
}

/** The node a pointer names; with `keyOf`, the key of the property instead of its value. */
export function nodeAtPointer(root: Node | undefined, pointer: string, keyOf = false): Node | undefined {
  let node = root;
  for (const segment of fromPointer(pointer)) {
    if (!node) return undefined;
    if (node.type === 'object') {
      const property = node.children?.find((p) => p.children?.[0]?.value === segment);
      node = property?.children?.[1];
    } else if (node.type === 'array' && /^\d+$/.test(segment)) {
      node = node.children?.[Number(segment)];
    } else {
      return undefined;
    }
  }
  if (node && keyOf && node.parent?.type === 'property') {
    return node.parent.children?.[0];
  }
  return node;
}
