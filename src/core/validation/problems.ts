export type Severity = 'error' | 'warning';

/** One finding in a document. Lines and columns are 1-based; offset and length index the text without its BOM. */
export interface Problem {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
  /** JSON pointer of the value concerned ('' for the whole document). */
  readonly pointer: string;
  readonly severity: Severity;
  readonly message: string;
  /** Stable identifier for tooling, e.g. 'json.syntax', 'schema.additionalProperties', 'serverManaged'. */
  readonly code: string;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.line}:${p.column} ${p.severity}: ${p.message}${p.pointer ? ` (at ${p.pointer})` : ''}`;
}

/** An error about the file as a whole, placed at its start. */
export function wholeFileProblem(code: string, message: string): Problem {
  return { line: 1, column: 1, offset: 0, length: 0, pointer: '', severity: 'error', code, message };
}
