import type { Services } from '../services';
import type { RunStore } from './runs/runStore';
import type { SignInService } from './signIn/signInService';

/** The runs of this workspace, for whatever sends, checks or shows them. */
export interface RunsContext {
  readonly store: RunStore;
  /** Aborted when the window closes: what is in flight stops at once (and ends unknown, which its run says). */
  readonly stopAll: AbortSignal;
  /** Reveals the run in the Runs view. */
  show(runId: string): Promise<void>;
  /** Operations were (or may have been) created on these registrations: their lists are read again when shown. */
  sentTo(ids: Iterable<string>): void;
}

/** The activation's services plus what the features create on first use. */
export interface FeatureServices extends Services {
  readonly signIn: SignInService;
  readonly runs: RunsContext;
}
