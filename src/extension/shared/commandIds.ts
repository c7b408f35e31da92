/** Command ids, as contributed in package.json. */
export const commandIds = {
  send: 'intuneMao.send',
  newOperation: 'intuneMao.newOperation',
  chooseTarget: 'intuneMao.chooseTarget',
  previewRequest: 'intuneMao.previewRequest',
  signOut: 'intuneMao.signOut',
  showOutput: 'intuneMao.showOutput',
} as const;
