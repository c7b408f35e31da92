import type { ApiVersion } from '../clouds';
import type { GraphClient } from '../graphClient';
import { buildGetRequest, operationsPath } from '../operationRequest';
import { dateSample, type ClockSkew } from './clockSkew';
import type { EngineClock } from './engineClock';
import { matchOperations, type Claimant, type ListedOperation, type Verdict } from './matchOperations';

export interface CheckOutcome {
  readonly checkedAt: number;
  readonly verdicts?: ReadonlyMap<number, Verdict>;
  /** Why the operations could not be listed. */
  readonly failure?: string;
  /** HTTP requests the listing made. */
  readonly requests: number;
}

/**
 * Lists every page of a registration's operations and decides which of them the claimants created
 * (see matchOperations). The listing's own Date header is clock evidence too.
 */
export async function checkRegistration(
  client: GraphClient,
  apiVersion: ApiVersion,
  registrationId: string,
  claimants: readonly Claimant[],
  knownIds: ReadonlySet<string>,
  skew: ClockSkew,
  clock: EngineClock,
  signal?: AbortSignal,
): Promise<CheckOutcome> {
  const sentAt = clock.now();
  let pages = 0;
  try {
    const { items, exchange } = await client.listAll<ListedOperation>(
      buildGetRequest(client.target, operationsPath(apiVersion, registrationId)),
      () => {
        pages += 1;
      },
      signal ? { signal } : {},
    );
    const checkedAt = clock.now();
    if (exchange.outcome !== 'succeeded') {
      return { checkedAt, requests: pages + 1, failure: exchange.error?.message ?? exchange.reason ?? `HTTP ${exchange.status ?? '(no answer)'}` };
    }
    skew.add(dateSample(exchange.headers['date'], sentAt, checkedAt));
    return { checkedAt, requests: pages, verdicts: matchOperations(claimants, items, knownIds, skew.offset()) };
  } catch (error) {
    return { checkedAt: clock.now(), requests: pages, failure: error instanceof Error ? error.message : String(error) };
  }
}
