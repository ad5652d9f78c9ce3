/** The words of the member-card format panel on the Devices screen, in Simplified Chinese and English. */

export const cardFormatZh = {
  'cardFormat.title': '会员卡格式',
  'cardFormat.hint': '本机读写本连锁加密 MIFARE 会员卡所用的格式。更改保存后，重启收银机时生效。',
  'cardFormat.chainId': '连锁编号',
  'cardFormat.sector': '会员数据扇区',
  'cardFormat.purse': '卡内余额镜像',
  'cardFormat.purse.on': '开启',
  'cardFormat.purse.off': '关闭',
  'cardFormat.fingerprint': '卡密钥指纹',
  'cardFormat.fingerprintHint': '指纹用于核对各台收银机的卡密钥是否一致，不能由它推出密钥。',
  'cardFormat.pending': '已保存、重启后生效：连锁编号 {chainId}，扇区 {sector}，卡内余额镜像{purse}。',
  'cardFormat.edit.sector': '会员数据扇区（1–15，不能用 0 扇区）',
  'cardFormat.edit.purse': '每次充值、消费后把余额写入卡内',
  'cardFormat.sectorWarning': '按原扇区写入的会员卡，需在新扇区重新写卡后才能读取。',
  'cardFormat.sectorRange': '扇区须为 1 到 15 之间的整数（0 扇区存放卡片厂商信息，不能使用）。',
  'cardFormat.save': '保存',
  'cardFormat.saved': '已保存，重启收银机后生效。',
  'cardFormat.chainAdminOnly': '连锁编号只能由管理员修改。',
  'cardFormat.edit.chainId': '新的连锁编号（1–4294967295）',
  'cardFormat.changeChain': '修改连锁编号',
  'cardFormat.chainRange': '连锁编号须为 1 到 4294967295 之间的整数。',
  'cardFormat.confirmChain':
    '改为 {chainId} 后，已发行的会员卡都会显示为“非本连锁发行的卡”，须重新发卡后才能使用。确认修改？',
  'cardFormat.confirm': '确认修改',
  'cardFormat.cancel': '取消',
  'error.CARD_CHAIN_CONFIRMATION_REQUIRED':
    '修改连锁编号前须确认：已发行的会员卡将显示为“非本连锁发行的卡”，除非重新发卡。',
  'error.CARD_CONFIG_INVALID': '会员卡格式设置有误，请联系技术人员。',
};

export const cardFormatEn: Record<keyof typeof cardFormatZh, string> = {
  'cardFormat.title': 'Member card format',
  'cardFormat.hint':
    "How this terminal reads and writes the chain's secured MIFARE member cards. A saved change takes effect when the terminal restarts.",
  'cardFormat.chainId': 'Chain id',
  'cardFormat.sector': 'Member data sector',
  'cardFormat.purse': 'On-card purse',
  'cardFormat.purse.on': 'on',
  'cardFormat.purse.off': 'off',
  'cardFormat.fingerprint': 'Card key fingerprint',
  'cardFormat.fingerprintHint':
    'Compare fingerprints to check that terminals hold the same card keys; the keys cannot be worked out from it.',
  'cardFormat.pending':
    'Saved, used after a restart: chain id {chainId}, sector {sector}, on-card purse {purse}.',
  'cardFormat.edit.sector': 'Member data sector (1–15, never sector 0)',
  'cardFormat.edit.purse': 'Write the balance onto the card after each top-up and charge',
  'cardFormat.sectorWarning':
    'Cards written in the old sector must be written again in the new one before they read.',
  'cardFormat.sectorRange':
    'The sector is a whole number from 1 to 15 (sector 0 holds the manufacturer data and cannot be used).',
  'cardFormat.save': 'Save',
  'cardFormat.saved': 'Saved; takes effect when the terminal restarts.',
  'cardFormat.chainAdminOnly': 'Only an admin changes the chain id.',
  'cardFormat.edit.chainId': 'New chain id (1–4294967295)',
  'cardFormat.changeChain': 'Change chain id',
  'cardFormat.chainRange': 'The chain id is a whole number from 1 to 4294967295.',
  'cardFormat.confirmChain':
    'With chain id {chainId}, every card already issued will read as "not issued by this chain" until it is re-issued. Change it?',
  'cardFormat.confirm': 'Confirm change',
  'cardFormat.cancel': 'Cancel',
  'error.CARD_CHAIN_CONFIRMATION_REQUIRED':
    'Confirm first: cards already issued will read as "not issued by this chain" unless re-issued.',
  'error.CARD_CONFIG_INVALID': 'The member card format setting is wrong; call a technician.',
};
