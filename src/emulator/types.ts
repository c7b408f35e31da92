// Public shapes of the emulator. index.ts re-exports them; other modules import them from here.

export interface WindowLimit {
  writesPerWindow: number;
  windowMs: number;
}

/** Intune's write limits as the emulator applies them; see graph.md. */
export interface WriteLimitOptions {
  /** Per app (the token's `appid`, or `azp` in a v2 token) per tenant (`tid`). Default 100 per 20 000 ms; null: none. */
  perApp?: WindowLimit | null;
  /** Per tenant, all apps together. Default 200 per 20 000 ms; null: none. */
  perTenant?: WindowLimit | null;
  /** Decimals of Retry-After (0 to 3). Default 3, e.g. `2.128`; the wait is rounded up and never 0. */
  retryAfterDecimals?: number;
}

export type WriteLimitSettings = Required<WriteLimitOptions>;

/**
 * Seeded random failures of operation POSTs (direct and inside batches), for bulk runs. Scripted faults
 * are tried first. The nth operation POST received gets the same decision for the same seed.
 */
export interface RandomFaults {
  /** Chance, 0 to 1, that an operation POST fails. */
  probability: number;
  /** Default 1. */
  seed?: number;
  /** Statuses picked from with equal chance. Default [500, 502, 504]. */
  statuses?: number[];
  /**
   * Share, 0 to 1, of the failures that create the operation before failing. Only statuses that leave the
   * outcome open (5xx other than 503) and resets do; 429, 503 and 4xx never create. Default 0.
   */
  createdShare?: number;
  /** Share, 0 to 1, of the failures that drop the connection (inside a batch: the whole batch). Default 0. */
  resetShare?: number;
  /** Wait before failing, in ms. Default 0. */
  delayMs?: number;
  /** Retry-After sent with a 429 or 503. Default none. */
  retryAfter?: string;
}

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. The server only ever binds 127.0.0.1. */
  port?: number;
  /** Registrations (and operations) per page. Default 5. */
  pageSize?: number;
  /**
   * The emulator's original single limit: writes per tenant (tid claim), with Retry-After in whole seconds
   * and no per-app limit. `writeLimits`, when also given, overrides what it names.
   */
  throttle?: WindowLimit;
  /** Intune's write limits. Without this and without `throttle`: 100/20 s per app, 200/20 s per tenant. */
  writeLimits?: WriteLimitOptions;
  randomFaults?: RandomFaults;
  /** Milliseconds for the write windows, never going backwards. Default performance.now(); tests inject one. */
  clock?: () => number;
  /** Replaces the built-in sample tenant (see `generateRegistrations` for a tenant of any size). */
  registrations?: SampleRegistration[];
  /** One line per request. Never contains the Authorization header. */
  log?: (line: string) => void;
}

/** Counters since start or the last reset. Direct means an HTTP request of its own; inner, a $batch step. */
export interface EmulatorStats {
  /** Graph HTTP requests (direct calls and $batch envelopes), admin calls excluded. */
  httpRequests: number;
  batchRequests: number;
  /** $batch steps that were run (not those answered 424 for a failed dependency). */
  innerRequests: number;
  /** Operation POSTs, direct and inner. */
  directPosts: number;
  innerPosts: number;
  /** GETs, direct and inner together. */
  gets: number;
  /** Writes the limits let through. */
  writesAdmitted: number;
  /** 429 answers, whatever the cause (limits or faults). */
  throttledDirect: number;
  throttledInner: number;
  /** Scripted and random faults applied. */
  faultsFired: number;
  /** Faults after which an operation had been created all the same. */
  faultsCreated: number;
  /** Connections dropped without an answer. */
  connectionsDropped: number;
  operationsCreated: number;
}

export interface Emulator {
  /** 'http://127.0.0.1:<port>', no trailing slash. */
  readonly url: string;
  /** Stops listening and destroys open sockets, so pending requests cannot keep it alive. */
  close(): Promise<void>;
  /** An unsigned (alg "none") JWT that this emulator, and only this emulator, accepts. Extra claims (`roles`, `idtyp`) are kept. */
  mintToken(claims?: Partial<TokenClaims> & Record<string, unknown>): string;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Every request received, oldest first, including rejected ones; admin calls are not recorded. */
  readonly requests: RecordedRequest[];
  /** The operations created for a registration, oldest first, as Graph lists them. */
  operationsOf(registrationId: string): Record<string, unknown>[];
  stats(): EmulatorStats;
  writeLimits(): WriteLimitSettings;
  /** Changes the limits named; writes already admitted keep counting. Returns the limits now in force. */
  setWriteLimits(limits: WriteLimitOptions): WriteLimitSettings;
  /** Starts (or, with undefined, stops) random faults, with a fresh sequence from the seed. */
  setRandomFaults(faults: RandomFaults | undefined): void;
  /** Replaces the tenant's registrations; operations already created stay. */
  setRegistrations(registrations: SampleRegistration[]): void;
  /**
   * Back to how it started: clears operations, recorded requests, scripted and random faults, write
   * counters and stats, and restores the start-up limits and registrations.
   */
  reset(): void;
}

export interface TokenClaims {
  scp: string;
  tid: string;
  oid: string;
  upn: string;
  name: string;
  aud: string;
  exp: number;
  iat: number;
  /** The client app (v1 tokens). */
  appid: string;
  /** The client app in v2 tokens, which have no appid: `mintToken({ ver: '2.0' })` sends azp instead. */
  azp?: string;
  /** '1.0' (the default) or '2.0'. */
  ver?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
  /** For a $batch: its requests as read, each body exactly as it was written in the envelope. */
  batchSteps?: RecordedBatchStep[];
}

export interface RecordedBatchStep {
  id: string;
  method: string;
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * A scripted failure. Faults are tried in the order they were queued. Inside a $batch they are matched
 * against the batch request itself and then against each step (path `/{version}/{step url}`); a step
 * fault with `reset` drops the whole batch connection.
 */
export interface Fault {
  method?: string;
  /** Substring of, or pattern tested against, the path + query. */
  path?: string | RegExp;
  /** true: only $batch steps; false: only HTTP requests themselves (direct calls and $batch envelopes). */
  inBatch?: boolean;
  /** Let this many matching requests pass first (counted even when another fault answers them). */
  skip?: number;
  /** How many matching requests it answers. Default 1. */
  times?: number;
  status?: number;
  code?: string;
  /** Sent verbatim as Retry-After. */
  retryAfter?: string;
  /** Wait before answering (after the write when `processFirst` is set). Alone, it only slows the normal answer. */
  delayMs?: number;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** Handle the request normally first (so a write really happens), then fail: 504 unless told otherwise. */
  processFirst?: boolean;
  html?: boolean;
  emptyBody?: boolean;
  /** Wrap this text in Intune's `_version: 3` JSON string inside error.message. */
  intuneMessage?: string;
  redirectTo?: string;
  redirectStatus?: number;
  /** Echo the caller's Authorization value in a header and in the body, to test clients' redaction. */
  echoAuthorization?: boolean;
  wwwAuthenticate?: string;
}

/** A managedAppRegistration as Graph returns it, including '@odata.type'. */
export interface SampleRegistration {
  [k: string]: unknown;
}
