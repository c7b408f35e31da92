import type { Offset } from './clockSkew';

/**
 * The managedAppOperation properties Graph echoes from a request body. `id`, `lastModifiedDateTime` and
 * `version` are the service's own (a body's values are not kept), and annotations are not returned.
 */
const echoedProperties = ['displayName', 'state'] as const;

/** An item whose operation is looked for, or a created one whose operation id is not known (it takes one too). */
export interface Claimant {
  readonly index: number;
  /** When the item was first sent (local clock, ms since the epoch). */
  readonly firstSentAt: number;
  readonly body: string;
  /** Already known to be created: it takes a matching operation so that no unknown item gets it. */
  readonly created?: boolean;
}

export interface ListedOperation {
  readonly id: string;
  readonly lastModifiedDateTime?: unknown;
  readonly [property: string]: unknown;
}

export type Verdict =
  { readonly kind: 'found'; readonly operationId: string } | { readonly kind: 'ambiguous'; readonly operationId: string } | { readonly kind: 'absent' };

type Signature = ReadonlyArray<readonly [string, unknown]>;

/** The echoed properties the body sets, with their values. */
export function signatureOf(body: string): Signature {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  const object = parsed as Record<string, unknown>;
  return echoedProperties.filter((name) => Object.prototype.hasOwnProperty.call(object, name)).map((name) => [name, object[name]] as const);
}

function fits(signature: Signature, operation: ListedOperation): boolean {
  return signature.every(([name, value]) => operation[name] === value);
}

/**
 * Which listed operation each claimant created, for one registration. An operation counts for an item only
 * when it has the item's echoed properties and was stamped at or after the item's first send in Graph's
 * clock, however far the clocks may be apart (`offset`, Graph minus local): never one that could be older.
 * Operations already known (`knownIds`) are nobody's. Each operation goes to one item at most, so N items
 * with the same body find at most the N operations that fit, earliest operations first, each to the latest
 * item sent before it. An item left without one is `ambiguous` when a spare operation fits it that might
 * be its own but could also be older than its send (within the clock's uncertainty), else `absent`.
 */
export function matchOperations(
  claimants: readonly Claimant[],
  operations: readonly ListedOperation[],
  knownIds: ReadonlySet<string>,
  offset: Offset,
): Map<number, Verdict> {
  const signatures = new Map(claimants.map((claimant) => [claimant.index, signatureOf(claimant.body)]));
  const candidates = operations
    .filter((operation) => typeof operation.id === 'string' && !knownIds.has(operation.id.toLowerCase()))
    .map((operation) => ({ operation, stamped: typeof operation.lastModifiedDateTime === 'string' ? Date.parse(operation.lastModifiedDateTime) : NaN }));
  const dated = candidates.filter((c) => !Number.isNaN(c.stamped)).sort((a, b) => a.stamped - b.stamped);

  const taken = new Set<ListedOperation>();
  const owner = new Map<number, ListedOperation>();
  for (const { operation, stamped } of dated) {
    const eligible = claimants.filter((c) => !owner.has(c.index) && fits(signatures.get(c.index)!, operation) && stamped >= c.firstSentAt + offset.high);
    if (eligible.length === 0) continue;
    eligible.sort((a, b) => Number(!!b.created) - Number(!!a.created) || b.firstSentAt - a.firstSentAt || a.index - b.index);
    owner.set(eligible[0]!.index, operation);
    taken.add(operation);
  }

  const verdicts = new Map<number, Verdict>();
  for (const claimant of claimants) {
    if (claimant.created) continue;
    const own = owner.get(claimant.index);
    if (own) {
      verdicts.set(claimant.index, { kind: 'found', operationId: own.id });
      continue;
    }
    const possible = candidates.find(
      ({ operation, stamped }) =>
        !taken.has(operation) && fits(signatures.get(claimant.index)!, operation) && (Number.isNaN(stamped) || stamped >= claimant.firstSentAt + offset.low),
    );
    verdicts.set(claimant.index, possible ? { kind: 'ambiguous', operationId: possible.operation.id } : { kind: 'absent' });
  }
  return verdicts;
}
