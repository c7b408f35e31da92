export interface Page<T> {
  value: T[];
  nextLink?: string;
}

export type PagingResult<T> = { ok: true; page: Page<T> } | { ok: false; message: string };

const TOKEN_PREFIX = 'emu-offset:';

function encodeSkipToken(offset: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${offset}`, 'utf8').toString('base64url');
}

function decodeSkipToken(token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX)) return undefined;
  const offset = Number(text.slice(TOKEN_PREFIX.length));
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
}

function queryParts(rawQuery: string): string[] {
  return rawQuery.split('&').filter((part) => part !== '');
}

function nameOf(part: string): string {
  const name = part.split('=')[0];
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * One page of `items`. A full page always gets a nextLink, so a collection whose size is a multiple of
 * the page size ends with an empty page, as real services sometimes do.
 *
 * @param pageUrl absolute URL of the collection, without query
 * @param rawQuery the query string as received, without '?'
 */
export function pageOf<T>(items: readonly T[], pageSize: number, pageUrl: string, rawQuery: string): PagingResult<T> {
  const query = new URLSearchParams(rawQuery);
  let size = pageSize;
  const top = query.get('$top');
  if (top !== null) {
    const parsed = Number(top);
    if (!/^\d+$/.test(top) || !Number.isSafeInteger(parsed)) {
      return { ok: false, message: `Invalid value '${top}' for $top query option found. The $top query option requires a non-negative integer value.` };
    }
    size = Math.min(size, parsed);
  }
  let offset = 0;
  const token = query.get('$skiptoken');
  if (token !== null) {
    const decoded = decodeSkipToken(token);
    if (decoded === undefined) return { ok: false, message: `The $skiptoken '${token}' is invalid or expired.` };
    offset = decoded;
  }

  const value = items.slice(offset, offset + size);
  if (size === 0 || value.length < size) return { ok: true, page: { value } };
  const kept = queryParts(rawQuery).filter((part) => nameOf(part) !== '$skiptoken');
  const nextQuery = [...kept, `$skiptoken=${encodeSkipToken(offset + size)}`].join('&');
  return { ok: true, page: { value, nextLink: `${pageUrl}?${nextQuery}` } };
}
