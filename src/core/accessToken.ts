import { IntuneFailure } from './failures';

/** A token that cannot be sent as it is. Its message says what is wrong and never holds the token. */
export class InvalidTokenError extends IntuneFailure {
  readonly kind = 'setup' as const;
}

/**
 * Why a token cannot go into an Authorization header, or undefined when it can. Access tokens are printable
 * ASCII; a line break could split the header, and Node refuses other characters only once the request is
 * under way, which looks like a lost connection.
 */
export function tokenProblem(token: string): string | undefined {
  if (token.length === 0) return 'it is empty';
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    const where = `character ${i + 1} of ${token.length}`;
    if (code === 0x0a || code === 0x0d) return `it holds a line break (${where})`;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `it holds a control character (${where})`;
    if (code > 0x7f) return `it holds a character that is not ASCII (${where})`;
  }
  return undefined;
}

export function assertSendableToken(token: string): void {
  const problem = tokenProblem(token);
  if (problem) {
    throw new InvalidTokenError(`The access token cannot be sent: ${problem}. It may have been copied with extra text; the token itself is not shown.`);
  }
}
