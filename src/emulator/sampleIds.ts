// The ids of the built-in sample tenant, by name, so tests and scripts do not restate GUIDs.

/** Registration ids, named owner-platform-app, in the order the tenant lists them. */
const registrations = {
  meganAndroidOutlook: '0ba5fbb1-4673-4030-8b2f-874e3ef2a352',
  alexIphoneOutlook: 'b1f9f41c-fb42-4175-9441-d801a446e7cd',
  lidiaAndroidTeams: '15f7cfae-6686-4623-8c27-190344a7513b',
  diegoIpadTeams: '8690aa6b-d62d-498b-9cdb-1f3089f35f7b',
  adeleAndroidOneDrive: 'fff78e05-16d6-4e26-b644-8356f54b2f16',
  meganIphoneEdge: '5a26c276-36d5-4dc3-bb3b-2d01e1655017',
  alexAndroidEdge: '1ebff69c-aa21-4038-aa0e-d38af14b15cd',
  lidiaIphoneOneDrive: '310c1b88-a5d8-4061-9187-03807a2812a8',
  diegoAndroidOffice: 'e7cbc88e-c251-4c73-9bc2-abc1bbc2bcb1',
  adeleIphoneOffice: 'e8e740db-1241-4787-bd90-2a76d6159178',
  adeleAndroidOutlook: '8da3377f-848e-45bb-adb0-4eb250a5b795',
  meganIpadOutlook: 'dc44f04f-eafc-4fe5-bcc7-2d6d7dc9c205',
} as const;

/** User object ids (userId of the registrations). */
const users = {
  megan: '9a49169f-cfca-41c5-ba1c-add309ba9961',
  alex: '7af2c03b-f974-41fc-8124-68e2bebf2ef0',
  lidia: 'a3c5c1b4-43d6-4f65-aeff-b920071eb53e',
  diego: '2dbe3bb5-830a-4ed1-b5d0-9a07f95f0aac',
  adele: '545b6796-31eb-491b-a190-e19e7addcd6a',
} as const;

export const sampleIds = {
  /** The tid of every token the emulator mints unless told otherwise. */
  tenantId: '6448f725-5ab2-4fb7-b466-0552709feda5',
  /** The signed-in admin's oid. */
  adminObjectId: '3bb9b38f-d336-4e16-b1fc-42bfa1c73cf2',
  adminUpn: 'admin@contoso.example',
  /** The appid of minted tokens: the client app whose per-app write limit applies. */
  clientAppId: 'fced2c0d-2642-4cde-8815-e7bf7b3b8668',
  users,
  registrations,
  /** Registrations flagged `rootedDevice`. */
  rootedRegistrations: [registrations.lidiaAndroidTeams, registrations.meganIphoneEdge, registrations.diegoAndroidOffice],
} as const;
