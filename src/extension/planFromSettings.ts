import type { IntuneLog } from './intuneLog';
import { planConnection, SetupError, type ConnectionPlan } from './connectionPlan';
import { readSettings } from './settings';
import { notify } from './userMessages';

/** The connection the user's settings describe, or undefined after telling the person what to fix in them. */
export function planFromSettings(log?: IntuneLog): ConnectionPlan | undefined {
  try {
    return planConnection(readSettings());
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    notify('error', error.message, { ...(log ? { log } : {}), settings: 'intuneMao' });
    return undefined;
  }
}
