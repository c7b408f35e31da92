import { echoAuthorization, faultAnswer, replacesAnswer } from './faultAnswers';
import { DROP_CONNECTION, type GraphCall, type GraphOutcome } from './graphCall';
import type { RandomFaultSource } from './randomFaults';
import type { StatsCounter } from './stats';
import type { Fault } from './types';

interface QueuedFault {
  fault: Fault;
  remaining: number;
  toSkip: number;
}

type Matchable = Pick<GraphCall, 'method' | 'target' | 'insideBatch'>;

export class FaultQueue {
  private queued: QueuedFault[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new RangeError('Fault.times must be a positive number.');
    const skip = fault.skip ?? 0;
    if (!Number.isInteger(skip) || skip < 0) throw new RangeError('Fault.skip must be a whole number, 0 or more.');
    this.queued.push({ fault: { ...fault }, remaining: times, toSkip: skip });
  }

  clear(): void {
    this.queued = [];
  }

  /** The first queued fault that matches and has nothing left to skip, with one of its uses spent. */
  take(call: Matchable): Fault | undefined {
    let taken: QueuedFault | undefined;
    for (const entry of this.queued) {
      if (!matches(entry.fault, call)) continue;
      if (entry.toSkip > 0) entry.toSkip -= 1;
      else taken ??= entry;
    }
    if (!taken) return undefined;
    taken.remaining -= 1;
    if (taken.remaining <= 0) this.queued.splice(this.queued.indexOf(taken), 1);
    return taken.fault;
  }
}

function matches(fault: Fault, call: Matchable): boolean {
  if (fault.method && fault.method.toUpperCase() !== call.method.toUpperCase()) return false;
  if (fault.inBatch !== undefined && fault.inBatch !== call.insideBatch) return false;
  if (fault.path === undefined) return true;
  if (typeof fault.path === 'string') return call.target.includes(fault.path);
  fault.path.lastIndex = 0;
  return fault.path.test(call.target);
}

/** Where faults come from: the scripted queue first, then the random source when one is set. */
export interface FaultSources {
  queue: FaultQueue;
  random: RandomFaultSource | undefined;
  stats: StatsCounter;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Runs `handle` unless a scripted or random fault says otherwise. */
export async function answerWithFaults(call: GraphCall, sources: FaultSources, handle: () => Promise<GraphOutcome>): Promise<GraphOutcome> {
  const fault = sources.queue.take(call) ?? sources.random?.draw(call);
  if (!fault) return handle();
  sources.stats.add('faultsFired');

  const delay = async (): Promise<boolean> => {
    if (fault.delayMs !== undefined && fault.delayMs > 0) await pause(fault.delayMs, call.signal);
    return !call.signal.aborted;
  };

  let outcome: GraphOutcome;
  if (fault.processFirst) {
    // The write happens before the delay, so a client that times out is left not knowing it succeeded.
    const createdBefore = call.effects.operationsCreated;
    const processed = await handle();
    if (call.effects.operationsCreated > createdBefore) sources.stats.add('faultsCreated');
    if (!(await delay()) || fault.reset || processed === DROP_CONNECTION) return DROP_CONNECTION;
    outcome = faultAnswer(call, fault);
  } else {
    if (!(await delay()) || fault.reset) return DROP_CONNECTION;
    outcome = replacesAnswer(fault) ? faultAnswer(call, fault) : await handle();
  }
  if (outcome === DROP_CONNECTION || !fault.echoAuthorization) return outcome;
  return echoAuthorization(outcome, call.headers.authorization ?? '');
}
