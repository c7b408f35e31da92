// Public shapes of the emulator. index.ts re-exports them; other modules import them from here.

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. The server only ever binds 127.0.0.1. */
  port?: number;
  /** Registrations (and operations) per page. Default 5. */
  pageSize?: number;
  /** Write limit per tenant (tid claim). Default 200 writes per 20 000 ms, as documented for Intune. */
  throttle?: { writesPerWindow: number; windowMs: number };
  /** Replaces the built-in sample tenant. */
  registrations?: SampleRegistration[];
  /** One line per request. Never contains the Authorization header. */
  log?: (line: string) => void;
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
  operationsOf(registrationId: string): Record<string, unknown>[];
  /** Clears operations, recorded requests, faults and throttle counters. */
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
  appid: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
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
