/** The Microsoft Graph permissions Intune's managed app operations need (see the README's app registration). */
export const intunePermission = 'DeviceManagementApps.ReadWrite.All';

/** The one scope asked for: the permission on the cloud's real Graph root (also when Graph is the local emulator). */
export function intuneScope(cloud: { readonly graphRoot: string }): string {
  return `${cloud.graphRoot}/${intunePermission}`;
}
