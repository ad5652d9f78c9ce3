/** The words of the admin's backups screen, in Simplified Chinese and English. */

export const securityZh = {
  'nav.backups': '备份',
  'backups.title': '数据备份',
  'backups.hint': '备份经过加密，只能在本机用本机密钥恢复。备份时收银照常进行。',
  'backups.run': '立即备份',
  'backups.running': '正在备份（{phase}）… {percent}%',
  'backups.phase.copy': '复制',
  'backups.phase.encrypt': '加密',
  'backups.lastOk': '上次备份成功：{name}',
  'backups.lastFailed': '上次备份失败（{code}）',
  'backups.none': '还没有备份',
  'backups.col.time': '备份时间',
  'backups.col.size': '大小',
  'backups.restore': '恢复此备份',
  'backups.confirmRestore':
    '确认用 {time} 的备份恢复？恢复会先完整校验；校验通过后，重启收银机时替换当前账本。',
  'backups.confirm': '确认恢复',
  'backups.cancel': '取消',
  'backups.restored': '备份已校验通过（{time}）。请重启收银机完成恢复。',
  'backups.pending': '待恢复：{time} 的备份将在下次启动时替换当前账本。',
  'error.BACKUP_KEYS_MISSING': '本机启动时没有加载数据密钥，无法备份或恢复。请联系技术人员。',
  'error.BACKUP_TAMPERED': '备份文件已损坏或被改动，不能恢复。',
  'error.BACKUP_KEY_UNKNOWN': '这个备份不是用本机的密钥加密的，不能恢复。',
  'error.BACKUP_NO_SPACE': '磁盘空间不足，备份未完成。',
  'error.SESSION_EXPIRED': '收银台闲置过久，已自动锁定。请重新登录。',
  'error.TERMINAL_REVOKED': '总部已停用本收银机，数据不再同步。请联系总部，用新的注册码重新注册。',
  'error.RATE_LIMITED': '总部繁忙，稍后会自动重试同步。',
};

export const securityEn: Record<keyof typeof securityZh, string> = {
  'nav.backups': 'Backups',
  'backups.title': 'Backups',
  'backups.hint':
    'Backups are encrypted and restore only on this terminal, with its keys. Selling goes on while one runs.',
  'backups.run': 'Back up now',
  'backups.running': 'Backing up ({phase})… {percent}%',
  'backups.phase.copy': 'copying',
  'backups.phase.encrypt': 'encrypting',
  'backups.lastOk': 'Last backup succeeded: {name}',
  'backups.lastFailed': 'Last backup failed ({code})',
  'backups.none': 'No backups yet',
  'backups.col.time': 'Taken at',
  'backups.col.size': 'Size',
  'backups.restore': 'Restore this backup',
  'backups.confirmRestore':
    'Restore the backup of {time}? It is fully verified first; once it passes, it replaces the current book when the terminal restarts.',
  'backups.confirm': 'Restore',
  'backups.cancel': 'Cancel',
  'backups.restored': 'The backup passed verification ({time}). Restart the terminal to finish the restore.',
  'backups.pending': 'Pending restore: the backup of {time} replaces the current book at the next start.',
  'error.BACKUP_KEYS_MISSING':
    'This terminal started without its data keys; it cannot back up or restore. Call a technician.',
  'error.BACKUP_TAMPERED': 'The backup file is damaged or was changed; it cannot be restored.',
  'error.BACKUP_KEY_UNKNOWN':
    'This backup was not encrypted with this terminal’s key; it cannot be restored.',
  'error.BACKUP_NO_SPACE': 'The disk is full; the backup did not finish.',
  'error.SESSION_EXPIRED': 'The counter was idle too long and locked itself. Log in again.',
  'error.TERMINAL_REVOKED':
    'Headquarters revoked this terminal; it no longer syncs. Ask headquarters for a new enrolment code to enrol it again.',
  'error.RATE_LIMITED': 'Headquarters is busy; sync will retry by itself shortly.',
};
