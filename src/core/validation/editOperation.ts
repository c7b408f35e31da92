import { parseTree } from 'jsonc-parser';

/** A replacement in a text: `length` characters at `offset` become `content`. */
export interface TextEdit {
  readonly offset: number;
  readonly length: number;
  readonly content: string;
}

/** The text less the named top-level properties (and their commas); every other character stays as it was. */
export function withoutTopLevelProperties(text: string, names: readonly string[]): string {
  return names.reduce(removeTopLevelProperty, text);
}

/**
 * One edit (relative to `text`) that removes the named top-level properties, e.g. the server-managed
 * `id` and `lastModifiedDateTime`; none when there is nothing to remove.
 */
export function propertyRemovalEdits(text: string, names: readonly string[]): TextEdit[] {
  const result = withoutTopLevelProperties(text, names);
  if (result === text) return [];
  let start = 0;
  while (start < result.length && start < text.length && result[start] === text[start]) start++;
  let endOld = text.length;
  let endNew = result.length;
  while (endOld > start && endNew > start && text[endOld - 1] === result[endNew - 1]) {
    endOld--;
    endNew--;
  }
  return [{ offset: start, length: endOld - start, content: result.slice(start, endNew) }];
}

function removeTopLevelProperty(text: string, key: string): string {
  const root = parseTree(text);
  const properties = root?.type === 'object' ? (root.children ?? []) : [];
  const index = properties.findIndex((p) => p.children?.[0]?.value === key);
  if (index < 0) return text;
  const property = properties[index]!;
  const next = properties[index + 1];
  if (next) {
    return text.slice(0, property.offset) + text.slice(next.offset);
  }
  const previous = properties[index - 1];
  const cutFrom = previous ? previous.offset + previous.length : indentationStart(text, property.offset);
  return text.slice(0, cutFrom) + text.slice(property.offset + property.length);
}

function indentationStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i;
}
