export interface ThrottleLimit {
  writesPerWindow: number;
  windowMs: number;
}

export type WriteAdmission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** Sliding-window write counter per tenant. Only admitted writes count against the limit. */
export class WriteThrottle {
  private readonly writesByTenant = new Map<string, number[]>();

  constructor(private readonly limit: ThrottleLimit) {}

  admit(tenant: string, now = Date.now()): WriteAdmission {
    const windowStart = now - this.limit.windowMs;
    const recent = (this.writesByTenant.get(tenant) ?? []).filter((at) => at > windowStart);
    this.writesByTenant.set(tenant, recent);
    if (recent.length < this.limit.writesPerWindow) {
      recent.push(now);
      return { admitted: true };
    }
    // The window frees a slot when the oldest write that still counts leaves it.
    const freesAt = recent[recent.length - this.limit.writesPerWindow] + this.limit.windowMs;
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
  }

  reset(): void {
    this.writesByTenant.clear();
  }
}
