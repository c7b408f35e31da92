import type { ItemState } from './sendContext';

export interface NextRequest {
  /** The items of the next request: one on its own, or a batch. */
  readonly group?: ItemState[];
  /** Nothing is ready before then (an inner Retry-After). */
  readonly wakeAt?: number;
}

/**
 * The next request from the queue, in queue order: a batch of up to `perRequest` items when batching, one
 * item otherwise (or one that a batch answered with a 4xx, which is decided on its own). Items waiting out a
 * Retry-After, or whose registration is being checked (`busy`), are passed over.
 */
export function pickNextRequest(
  queue: readonly ItemState[],
  options: { batching: boolean; perRequest: number; now: number; busy: (state: ItemState) => boolean },
): NextRequest {
  const group: ItemState[] = [];
  let wakeAt = Infinity;
  for (const state of queue) {
    if (options.busy(state)) continue;
    if ((state.notBefore ?? 0) > options.now) {
      wakeAt = Math.min(wakeAt, state.notBefore!);
      continue;
    }
    if (group.length === 0 && (!options.batching || state.direct)) return { group: [state] };
    if (!state.direct) group.push(state);
    if (group.length === options.perRequest) break;
  }
  if (group.length > 0) return { group };
  return wakeAt < Infinity ? { wakeAt } : {};
}
