// Where each value of a JSON text starts and ends, so a $batch step's body can be taken exactly as written
// (number spelling, spacing and key order survive) instead of being parsed and written out again.

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: { key: string; value: JsonNode }[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'scalar'; start: number; end: number; value: string | number | boolean | null };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Parses `text`, which must be valid JSON (check it with JSON.parse first): anything else throws. */
export function parseWithSpans(text: string): JsonNode {
  let at = 0;

  const skipWhitespace = (): void => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const fail = (): never => {
    throw new SyntaxError(`Unexpected JSON at position ${at}.`);
  };
  const expect = (char: string): void => {
    if (text[at] !== char) fail();
    at++;
  };

  const readString = (): string => {
    const start = at;
    expect('"');
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    expect('"');
    return JSON.parse(text.slice(start, at)) as string;
  };

  const readValue = (): JsonNode => {
    skipWhitespace();
    const start = at;
    const char = text[at];
    if (char === '{') {
      at++;
      const members: { key: string; value: JsonNode }[] = [];
      skipWhitespace();
      if (text[at] === '}') {
        at++;
        return { kind: 'object', start, end: at, members };
      }
      for (;;) {
        skipWhitespace();
        const key = readString();
        skipWhitespace();
        expect(':');
        members.push({ key, value: readValue() });
        skipWhitespace();
        if (text[at] === ',') at++;
        else break;
      }
      expect('}');
      return { kind: 'object', start, end: at, members };
    }
    if (char === '[') {
      at++;
      const items: JsonNode[] = [];
      skipWhitespace();
      if (text[at] === ']') {
        at++;
        return { kind: 'array', start, end: at, items };
      }
      for (;;) {
        items.push(readValue());
        skipWhitespace();
        if (text[at] === ',') at++;
        else break;
      }
      expect(']');
      return { kind: 'array', start, end: at, items };
    }
    if (char === '"') return { kind: 'scalar', start, value: readString(), end: at };
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return { kind: 'scalar', start, end: at, value };
      }
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (!number) return fail();
    at = NUMBER.lastIndex;
    return { kind: 'scalar', start, end: at, value: Number(number[0]) };
  };

  const root = readValue();
  skipWhitespace();
  if (at !== text.length) fail();
  return root;
}

/** The member's value; with duplicate keys the last one wins, as with JSON.parse. */
export function memberOf(node: JsonNode, key: string): JsonNode | undefined {
  if (node.kind !== 'object') return undefined;
  for (let index = node.members.length - 1; index >= 0; index--) {
    if (node.members[index].key === key) return node.members[index].value;
  }
  return undefined;
}
