/** The words of the admin's backups screen, in Simplified Chinese and English. */

export const securityZh = {
  'nav.backups': '备份',
  'backups.title': '数据备份',
  'backups.hint': '备份经过加密，用本机密钥或备份恢复码才能打开。备份时收银照常进行。',
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
  'backups.plan.title': '备份计划',
  'backups.plan.every': '自动备份',
  'backups.plan.every.24': '每天',
  'backups.plan.every.12': '每 12 小时',
  'backups.plan.every.6': '每 6 小时',
  'backups.plan.every.168': '每周',
  'backups.plan.keepDays': '保留天数',
  'backups.plan.offsite': '异地副本文件夹',
  'backups.plan.offsiteHint':
    '每次备份后复制一份到另一块磁盘（U 盘或网络文件夹的完整路径）。本机损坏或丢失时，新机器可从这里恢复。',
  'backups.plan.save': '保存计划',
  'backups.plan.saved': '已保存',
  'backups.plan.next': '下次自动备份：{time}',
  'backups.offsite.ok': '最近一次备份已复制到异地文件夹。',
  'backups.offsite.failed':
    '最近一次备份没能复制到异地文件夹（{code}），本机备份仍在。请检查 U 盘或网络文件夹。',
  'backups.escrow.title': '备份恢复码',
  'backups.escrow.hint':
    '备份用本机密钥加密。恢复码把密钥封存在备份旁边：换新机器时，在设置页选择“从备份恢复”，输入备份文件夹和恢复码即可。恢复码只显示一次，请打印或抄写后妥善保管。',
  'backups.escrow.missing': '还没有备份恢复码：本机损坏或丢失后，备份无法在新机器上打开。',
  'backups.escrow.issue': '生成备份恢复码',
  'backups.escrow.reissue': '重新生成恢复码（旧码作废）',
  'keys.title': '数据密钥',
  'keys.hint':
    '会员手机号、证件号、审计封印和备份都用数据密钥保护。轮换后新数据用新密钥，后台把会员资料重新加密；旧密钥保留，旧备份仍可恢复。收银照常进行，重启后会继续。',
  'keys.current': '当前密钥：{id}（共 {count} 把）',
  'keys.rotate': '轮换数据密钥',
  'keys.confirm': '确认轮换？新密钥立即启用，会员资料在后台重新加密。',
  'keys.running': '正在重新加密会员资料… {percent}%',
  'keys.done': '已轮换到 {id}，重新加密完成于 {time}',
  'error.KEY_ROTATION_RUNNING': '上一次轮换的重新加密还没完成，请稍后再试。',
  'error.BACKUP_OFFSITE_UNREACHABLE':
    '无法写入异地副本文件夹。请确认 U 盘或网络文件夹已连接，并填写完整路径。',
  'error.BACKUP_OFFSITE_SAME_DISK':
    '这个文件夹在本机自己的磁盘上，本机损坏时会一起丢失。请选择 U 盘或网络文件夹。',
  'error.RESTORE_CODE_WRONG': '备份恢复码不对，请对照打印的恢复码重新输入。',
  'error.RESTORE_ESCROW_MISSING':
    '这个文件夹里没有备份密钥文件（keys.posescrow）。请选择异地副本中本收银机的文件夹。',
  'error.RESTORE_NO_BACKUP': '这个文件夹里没有可恢复的备份。',
  'error.RESTORE_TILL_ENROLLED':
    '这台收银机属于连锁门店，账本以总部为准，不能用备份覆盖。请向总部申请注册码，重新注册本机。',
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
    'Backups are encrypted: only this terminal’s keys or the backup recovery code open them. Selling goes on while one runs.',
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
  'backups.plan.title': 'Backup plan',
  'backups.plan.every': 'Back up automatically',
  'backups.plan.every.24': 'daily',
  'backups.plan.every.12': 'every 12 hours',
  'backups.plan.every.6': 'every 6 hours',
  'backups.plan.every.168': 'weekly',
  'backups.plan.keepDays': 'Days kept',
  'backups.plan.offsite': 'Copy folder off this machine',
  'backups.plan.offsiteHint':
    'After each backup a copy goes to another disk (the full path of a USB disk or network folder). If this machine dies or is lost, a new one restores from there.',
  'backups.plan.save': 'Save plan',
  'backups.plan.saved': 'Saved',
  'backups.plan.next': 'Next automatic backup: {time}',
  'backups.offsite.ok': 'The latest backup was copied to the folder off this machine.',
  'backups.offsite.failed':
    'The latest backup was not copied off this machine ({code}); the local backup is kept. Check the USB disk or network folder.',
  'backups.escrow.title': 'Backup recovery code',
  'backups.escrow.hint':
    'Backups are encrypted with this machine’s keys. The recovery code seals the keys beside the backups: on a new machine choose “Restore from a backup” on the setup screen and type the backup folder and the code. The code is shown once; print it or write it down and keep it safe.',
  'backups.escrow.missing':
    'No backup recovery code yet: if this machine dies or is lost, its backups cannot be opened on a new one.',
  'backups.escrow.issue': 'Issue a backup recovery code',
  'backups.escrow.reissue': 'Issue a new code (the old one stops working)',
  'keys.title': 'Data keys',
  'keys.hint':
    'Member phone and ID numbers, the audit seals and the backups are protected by the data keys. After a rotation new data uses the new key and member details are re-encrypted in the background; old keys are kept, so old backups still restore. Selling goes on; a restart resumes the job.',
  'keys.current': 'Current key: {id} ({count} held)',
  'keys.rotate': 'Rotate the data keys',
  'keys.confirm':
    'Rotate now? The new key is used at once; member details are re-encrypted in the background.',
  'keys.running': 'Re-encrypting member details… {percent}%',
  'keys.done': 'Rotated to {id}; re-encryption finished at {time}',
  'error.KEY_ROTATION_RUNNING': 'The last rotation is still re-encrypting; try again when it has finished.',
  'error.BACKUP_OFFSITE_UNREACHABLE':
    'The copy folder cannot be written. Check that the USB disk or network folder is connected and type its full path.',
  'error.BACKUP_OFFSITE_SAME_DISK':
    'This folder is on the terminal’s own disk and would be lost with it. Choose a USB disk or a network folder.',
  'error.RESTORE_CODE_WRONG': 'The backup recovery code is wrong; type it again from the printed sheet.',
  'error.RESTORE_ESCROW_MISSING':
    'This folder holds no backup key file (keys.posescrow). Choose this till’s folder in the copy off the machine.',
  'error.RESTORE_NO_BACKUP': 'This folder holds no backup to restore.',
  'error.RESTORE_TILL_ENROLLED':
    'This till belongs to a chain: headquarters holds its book, and a backup may not overwrite it. Ask headquarters for an enrolment code and enrol this till again.',
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
