import { type GraphCall, isOperationPost } from './graphCall';
import { seededRandom } from './random';
import type { Fault, RandomFaults } from './types';

const DEFAULT_STATUSES = [500, 502, 504];

function share(value: number | undefined, name: string): number {
  if (value === undefined) return 0;
  if (!(value >= 0 && value <= 1)) throw new RangeError(`randomFaults.${name} must be between 0 and 1.`);
  return value;
}

/** Only a failure that leaves the outcome open may have created the operation: 5xx other than 503. */
function mayHaveProcessed(status: number): boolean {
  return status >= 500 && status !== 503;
}

export function checkRandomFaults(config: RandomFaults): Required<Omit<RandomFaults, 'retryAfter'>> & Pick<RandomFaults, 'retryAfter'> {
  const probability = share(config.probability, 'probability');
  const statuses = config.statuses ?? DEFAULT_STATUSES;
  if (!Array.isArray(statuses) || statuses.length === 0 || statuses.some((status) => !Number.isInteger(status) || status < 400 || status > 599)) {
    throw new RangeError('randomFaults.statuses must be a non-empty list of statuses from 400 to 599.');
  }
  const seed = config.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError('randomFaults.seed must be a whole number.');
  const delayMs = config.delayMs ?? 0;
  if (!(delayMs >= 0)) throw new RangeError('randomFaults.delayMs must be 0 or more.');
  if (config.retryAfter !== undefined && typeof config.retryAfter !== 'string') throw new RangeError('randomFaults.retryAfter must be a string.');
  return {
    probability,
    seed,
    statuses: [...statuses],
    createdShare: share(config.createdShare, 'createdShare'),
    resetShare: share(config.resetShare, 'resetShare'),
    delayMs,
    ...(config.retryAfter === undefined ? {} : { retryAfter: config.retryAfter }),
  };
}

/** Decides, operation POST by operation POST, which ones fail; the same seed gives the same sequence. */
export class RandomFaultSource {
  private readonly config: ReturnType<typeof checkRandomFaults>;
  private readonly random: () => number;

  constructor(config: RandomFaults) {
    this.config = checkRandomFaults(config);
    this.random = seededRandom(this.config.seed);
  }

  get settings(): RandomFaults {
    return structuredClone(this.config);
  }

  draw(call: Pick<GraphCall, 'method' | 'target'>): Fault | undefined {
    if (!isOperationPost(call)) return undefined;
    // Four draws for every POST, whatever the outcome, so each POST's decision depends only on its rank.
    const [fails, resets, which, created] = [this.random(), this.random(), this.random(), this.random()];
    if (fails >= this.config.probability) return undefined;
    const fault: Fault = {};
    if (this.config.delayMs > 0) fault.delayMs = this.config.delayMs;
    if (resets < this.config.resetShare) {
      fault.reset = true;
      if (created < this.config.createdShare) fault.processFirst = true;
      return fault;
    }
    fault.status = this.config.statuses[Math.floor(which * this.config.statuses.length)];
    if (mayHaveProcessed(fault.status) && created < this.config.createdShare) fault.processFirst = true;
    if (this.config.retryAfter !== undefined && (fault.status === 429 || fault.status === 503)) fault.retryAfter = this.config.retryAfter;
    return fault;
  }
}
