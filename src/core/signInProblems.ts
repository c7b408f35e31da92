import type { EntraErrorBody } from './entraHttp';

/**
 * - cancelled: the person (or the program) stopped the sign-in.
 * - declined / expired: the browser step was refused, or not done in time.
 * - consent: the app lacks an admin-consented permission.
 * - app: the app registration (client id) is missing or not set up for device code sign-in.
 * - account: the account is not one the tenant accepts.
 * - network: the sign-in service could not be reached.
 * - failed: anything else.
 */
export type SignInProblemKind = 'cancelled' | 'declined' | 'expired' | 'consent' | 'app' | 'account' | 'network' | 'noninteractive' | 'failed';

export class SignInProblem extends Error {
  constructor(readonly kind: SignInProblemKind, message: string, readonly aadsts?: string) {
    super(message);
    this.name = 'SignInProblem';
  }
}

export interface SignInSubject {
  readonly clientId: string;
  readonly tenant: string;
  /** The sign-in host, e.g. login.microsoftonline.com */
  readonly loginHost: string;
  readonly permission: string;
}

const appRegistrationHint = 'Use the Application (client) ID of your own app registration: VS Code\'s and other first-party client ids are not pre-authorized for Intune\'s Graph permissions.';

/** Words a person can act on, for the AADSTS codes an Intune admin is likely to meet. */
function explainCode(code: string, subject: SignInSubject): { kind: SignInProblemKind; text: string } | undefined {
  const app = `app ${subject.clientId}`;
  const consentSteps = `In the Entra admin center, open App registrations → ${subject.clientId} → API permissions, add the Microsoft Graph delegated permission ${subject.permission}, and select "Grant admin consent".`;
  switch (code) {
    case '65001':
    case '65004':
      return { kind: 'consent', text: `The ${app} has no consent for ${subject.permission} in this tenant. ${consentSteps}` };
    case '90094':
    case '90099':
      return { kind: 'consent', text: `${subject.permission} needs an administrator's approval for the ${app}. ${consentSteps}` };
    case '700016':
      return { kind: 'app', text: `No app with client id ${subject.clientId} exists in tenant "${subject.tenant}". Check the client id, and the tenant it is registered in (or make the app multi-tenant). ${appRegistrationHint}` };
    case '7000218':
      return { kind: 'app', text: `The ${app} does not allow public client flows, which the device code sign-in needs. In the Entra admin center, open App registrations → ${subject.clientId} → Authentication, and set "Allow public client flows" to Yes.` };
    case '50020':
      return { kind: 'account', text: `The account you signed in with is not in tenant "${subject.tenant}" (for example a personal Microsoft account, or a guest not yet invited). Sign in with an account of that tenant, or set the tenant to the account's home tenant.` };
    case '50059':
    case '90002':
      return { kind: 'account', text: `Tenant "${subject.tenant}" was not found on ${subject.loginHost}. Check the tenant id or domain, and that the cloud matches the tenant's cloud.` };
    case '500011':
      return { kind: 'account', text: `Microsoft Graph was not found in tenant "${subject.tenant}" on ${subject.loginHost}: check that the cloud setting matches the tenant's cloud.` };
    case '53003':
      return { kind: 'account', text: 'A Conditional Access policy blocked this sign-in. Ask your administrator which device or location requirements apply to the app.' };
    case '70000':
      return { kind: 'declined', text: 'The sign-in was declined in the browser. Nothing was sent.' };
    case '70020':
    case '70019':
      return { kind: 'expired', text: 'The sign-in code expired before the browser step was finished. Run the sign-in again.' };
    default:
      return undefined;
  }
}

/**
 * Turns whatever MSAL threw into a SignInProblem. `entra` is the last error body Entra ID sent, which
 * carries the AADSTS code and description MSAL sometimes drops.
 */
export function explainSignInFailure(error: unknown, entra: EntraErrorBody | undefined, connection: string | undefined, subject: SignInSubject): SignInProblem {
  if (error instanceof SignInProblem) return error;
  const errorCode = String((error as { errorCode?: unknown })?.errorCode ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (errorCode === 'device_code_polling_cancelled') return new SignInProblem('cancelled', 'Sign-in was cancelled.');
  if (errorCode === 'device_code_expired') return explainCodeOrGeneric('70020', subject, message);

  const description = entra?.error_description ?? (error as { errorMessage?: string })?.errorMessage ?? message;
  const code = entra?.error_codes?.[0]?.toString() ?? /AADSTS(\d+)/.exec(description)?.[1] ?? /AADSTS(\d+)/.exec(message)?.[1];
  if (code) return explainCodeOrGeneric(code, subject, firstLine(description));
  if (entra?.error === 'authorization_declined') return new SignInProblem('declined', 'The sign-in was declined in the browser. Nothing was sent.');
  if (entra?.error === 'expired_token') return explainCodeOrGeneric('70020', subject, message);

  if (connection || ['network_error', 'endpoints_resolution_error', 'openid_config_error', 'no_network_connectivity'].includes(errorCode)) {
    return new SignInProblem('network', `Could not sign in: ${connection ?? `${subject.loginHost} could not be reached`}. Check the network connection and proxy.`);
  }
  return new SignInProblem('failed', `Sign-in failed: ${firstLine(description)}`);
}

function explainCodeOrGeneric(code: string, subject: SignInSubject, description: string): SignInProblem {
  const known = explainCode(code, subject);
  if (known) return new SignInProblem(known.kind, `${known.text} (AADSTS${code})`, code);
  const detail = description.replace(/^AADSTS\d+:\s*/, '');
  return new SignInProblem('failed', `Sign-in was refused (AADSTS${code}): ${detail}`, code);
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
