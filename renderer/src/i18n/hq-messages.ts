/** The words of the HQ link panel on the Devices screen and of enrolment refusals, in Simplified Chinese and English. */

export const hqZh = {
  'hq.title': '连锁总部',
  'hq.hint': '本机与连锁总部的连接。加入连锁后，本机的营业数据按顺序上传总部，并使用连锁统一的会员卡密钥。',
  'hq.notLinked': '本机是独立门店，尚未加入连锁。',
  'hq.demo': '演示或练习账本不能加入连锁。',
  'hq.url': '总部地址',
  'hq.terminal': '本机编号',
  'hq.store': '总部门店编号',
  'hq.enrolledAt': '注册时间',
  'hq.publicKey': '本机签名公钥',
  'hq.fingerprint': '会员卡密钥指纹',
  'hq.revoked':
    '总部已停用本机的密钥，须用总部新发的注册码重新注册；在此之前，营业数据保留在本机，不会丢失。',
  'hq.join.title': '加入连锁 / 重新注册',
  'hq.join.hint': '填写总部地址和总部发放的一次性注册码（可用扫码枪扫入）。只有管理员可以操作。',
  'hq.join.url': '总部地址（如 https://hq.example.com）',
  'hq.join.code': '注册码',
  'hq.join.submit': '加入',
  'hq.join.done': '已加入连锁，本机开始与总部同步。',
  'hq.join.adminOnly': '只有管理员可以让本机加入连锁。',
  'error.ENROLMENT_CODE_UNKNOWN': '总部没有这个注册码，请核对后重新输入。',
  'error.ENROLMENT_CODE_USED': '这个注册码已经用过，请向总部申请新的注册码。',
  'error.ENROLMENT_CODE_EXPIRED': '这个注册码已过期，请向总部申请新的注册码。',
  'error.ENROLMENT_CODE_OTHER_STORE': '这个注册码属于其他门店，不能用于本店的收银机。',
  'error.HQ_UNREACHABLE': '连不上总部，本机没有做任何更改。请检查网络和总部地址后重试。',
  'error.CLOCK_SKEW': '本机时钟与总部相差太多，请先校准日期和时间，再重试。',
  'error.HQ_ADDRESS_INVALID': '总部地址无效：须以 https:// 开头（本机上的总部可用 http://）。',
  'error.HQ_ANSWER_INVALID': '总部的答复无法识别，本机没有做任何更改。请联系总部技术人员。',
  'error.ENROLMENT_NOT_ALLOWED': '演示或练习账本不能加入连锁。',
  'error.ENROLMENT_TERMINAL_IN_USE': '总部已有这个收银机编号上传的数据，请向总部申请一个新的收银机编号。',
  'error.ENROLMENT_FAILED': '注册没有成功，本机没有做任何更改。请重试或联系总部。',
} as const;

export const hqEn: Record<keyof typeof hqZh, string> = {
  'hq.title': 'Headquarters',
  'hq.hint':
    'This till’s link with the chain’s HQ. Once joined, its operations go up to HQ in order and it uses the chain’s card keys.',
  'hq.notLinked': 'This till is a standalone store; it has not joined a chain.',
  'hq.demo': 'A demo or training book cannot join a chain.',
  'hq.url': 'HQ address',
  'hq.terminal': 'Terminal id',
  'hq.store': 'HQ store id',
  'hq.enrolledAt': 'Enrolled',
  'hq.publicKey': 'Signing public key',
  'hq.fingerprint': 'Card key fingerprint',
  'hq.revoked':
    'HQ revoked this till’s key: enrol it again with a new code from HQ. Until then its operations stay on this till; nothing is lost.',
  'hq.join.title': 'Join a chain / enrol again',
  'hq.join.hint':
    'Enter HQ’s address and the one-time code HQ issued (a barcode scanner can type it). Admins only.',
  'hq.join.url': 'HQ address (e.g. https://hq.example.com)',
  'hq.join.code': 'Enrolment code',
  'hq.join.submit': 'Join',
  'hq.join.done': 'Joined the chain; this till now syncs with HQ.',
  'hq.join.adminOnly': 'Only an admin can join this till to a chain.',
  'error.ENROLMENT_CODE_UNKNOWN': 'HQ knows no such code. Check it and type it again.',
  'error.ENROLMENT_CODE_USED': 'This code was already used. Ask HQ for a new one.',
  'error.ENROLMENT_CODE_EXPIRED': 'This code has expired. Ask HQ for a new one.',
  'error.ENROLMENT_CODE_OTHER_STORE': 'This code is for another store’s till, not this store’s.',
  'error.HQ_UNREACHABLE':
    'HQ cannot be reached; nothing was changed. Check the network and the address, then try again.',
  'error.CLOCK_SKEW': 'This till’s clock is too far from HQ’s. Set the date and time, then try again.',
  'error.HQ_ADDRESS_INVALID':
    'The HQ address is not valid: it must start with https:// (http:// only for HQ on this machine).',
  'error.HQ_ANSWER_INVALID': 'HQ’s answer could not be read; nothing was changed. Call HQ’s technician.',
  'error.ENROLMENT_NOT_ALLOWED': 'A demo or training book cannot join a chain.',
  'error.ENROLMENT_TERMINAL_IN_USE':
    'HQ already holds operations under this terminal id. Ask HQ for a new terminal.',
  'error.ENROLMENT_FAILED': 'The enrolment did not succeed; nothing was changed. Try again or call HQ.',
};
