// Everything the emulator remembers and every knob it has, with the start-up settings a reset goes back to.
import { FaultQueue, type FaultSources } from './faults';
import type { GraphBackend } from './graphRoutes';
import { OperationStore } from './operationStore';
import { RandomFaultSource } from './randomFaults';
import { RegistrationDirectory } from './registrationDirectory';
import { StatsCounter } from './stats';
import { sampleRegistrations } from './tenant';
import { checkLimit, INTUNE_WRITE_LIMITS, WriteLimiter } from './throttle';
import type { EmulatorOptions, RandomFaults, RecordedRequest, SampleRegistration, WriteLimitOptions, WriteLimitSettings } from './types';

export function mergeLimits(base: WriteLimitSettings, change: WriteLimitOptions): WriteLimitSettings {
  return {
    perApp: change.perApp === undefined ? base.perApp : change.perApp && { ...change.perApp },
    perTenant: change.perTenant === undefined ? base.perTenant : change.perTenant && { ...change.perTenant },
    retryAfterDecimals: change.retryAfterDecimals ?? base.retryAfterDecimals,
  };
}

/** `throttle` alone keeps the emulator's original model: one per-tenant window, whole-second Retry-After. */
export function startUpLimits(options: EmulatorOptions): WriteLimitSettings {
  if (options.throttle) {
    try {
      checkLimit(options.throttle, 'throttle');
    } catch {
      throw new RangeError('The emulator throttle needs writesPerWindow >= 1 and windowMs > 0.');
    }
  }
  const base: WriteLimitSettings = options.throttle
    ? { perApp: null, perTenant: { ...options.throttle }, retryAfterDecimals: 0 }
    : structuredClone(INTUNE_WRITE_LIMITS);
  return mergeLimits(base, options.writeLimits ?? {});
}

interface StartUp {
  limits: WriteLimitSettings;
  randomFaults: RandomFaults | undefined;
  registrations: SampleRegistration[];
}

export class EmulatorState implements GraphBackend {
  baseUrl = '';
  readonly pageSize: number;
  readonly stats = new StatsCounter();
  readonly operations = new OperationStore(() => this.stats.add('operationsCreated'));
  readonly registrations: RegistrationDirectory;
  readonly limiter: WriteLimiter;
  readonly faults: FaultSources;
  recorded: RecordedRequest[] = [];
  private readonly startUp: StartUp;

  /** Throws a RangeError for options that make no sense. */
  constructor(options: EmulatorOptions) {
    this.pageSize = options.pageSize ?? 5;
    this.startUp = {
      limits: startUpLimits(options),
      randomFaults: options.randomFaults && structuredClone(options.randomFaults),
      registrations: structuredClone(options.registrations ?? sampleRegistrations),
    };
    this.registrations = new RegistrationDirectory(this.startUp.registrations);
    this.limiter = new WriteLimiter(this.startUp.limits, options.clock);
    this.faults = {
      queue: new FaultQueue(),
      random: this.startUp.randomFaults && new RandomFaultSource(this.startUp.randomFaults),
      stats: this.stats,
    };
  }

  setWriteLimits(change: WriteLimitOptions): WriteLimitSettings {
    this.limiter.configure(mergeLimits(this.limiter.current, change));
    return this.limiter.current;
  }

  setRandomFaults(config: RandomFaults | undefined): void {
    this.faults.random = config && new RandomFaultSource(config);
  }

  setRegistrations(registrations: SampleRegistration[]): void {
    this.registrations.replace(registrations);
  }

  reset(): void {
    this.operations.clear();
    this.recorded = [];
    this.faults.queue.clear();
    this.faults.random = this.startUp.randomFaults && new RandomFaultSource(this.startUp.randomFaults);
    this.limiter.reset(this.startUp.limits);
    this.registrations.replace(this.startUp.registrations);
    this.stats.reset();
  }
}
