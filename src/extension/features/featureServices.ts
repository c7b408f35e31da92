import type { Services } from '../services';
import type { SignInService } from './signIn/signInService';

/** The activation's services plus what the features create on first use. */
export interface FeatureServices extends Services {
  readonly signIn: SignInService;
}
