/** The Microsoft Graph permissions Intune's managed app operations need (see the README's app registration). */
export const intunePermissions = {
  appsRead: 'DeviceManagementApps.Read.All',
  appsReadWrite: 'DeviceManagementApps.ReadWrite.All',
  configurationReadWrite: 'DeviceManagementConfiguration.ReadWrite.All',
} as const;

/** The permission the product asks for: it creates operations and lists registrations. */
export const intunePermission = intunePermissions.appsReadWrite;

/** The one scope asked for: the permission on the cloud's real Graph root (also when Graph is the local emulator). */
export function intuneScope(cloud: { readonly graphRoot: string }): string {
  return `${cloud.graphRoot}/${intunePermission}`;
}
