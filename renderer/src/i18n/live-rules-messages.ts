/**
 * The words of the live-book rules: the simulator kept to demo and training books, a typed card number and a
 * manager's approval, the chain's rule per kind of card, and the offline caps while HQ cannot be reached.
 */

export const liveRulesZh = {
  'error.SIMULATOR_UNAVAILABLE': '模拟器只在演示门店和培训模式中可用，正式门店请使用读卡器和刷卡器。',
  'error.KEYED_ENTRY_NEEDS_APPROVAL':
    '此卡未经读卡器或刷卡器读取。请让会员出示卡片重新读卡，或由店长输入工号、密码并填写原因后授权。',
  'error.KEYED_ENTRY_REFUSED': '按本连锁规定，此类会员卡不能手工输入卡号消费，请在读卡器或刷卡器上读卡。',
  'error.OFFLINE_CARD_CAP_REACHED':
    '暂时连不上总部，此卡离线消费已达上限 {cap}，本次最多还可消费 {remaining}。请减少金额、改用其他支付方式，或等待网络恢复。',
  'error.OFFLINE_TERMINAL_CAP_REACHED':
    '暂时连不上总部，本机离线消费总额已达上限 {cap}，本次最多还可消费 {remaining}。请减少金额、改用其他支付方式，或等待网络恢复。',
  'error.OFFLINE_TOO_LONG':
    '本机已超过 {hours} 小时未连上总部，储值和积分暂停使用。请改用其他支付方式，并检查网络。',
  'keyedEntry.title': '手工输入卡号，需店长授权',
  'keyedEntry.reason': '原因（打印在小票上）',
  'keyedEntry.policy': '手工输入卡号的规则',
  'keyedEntry.policyHint': '未经读卡器或刷卡器读取、只输入卡号时，各类会员卡的处理方式。只有管理员可以修改。',
  'keyedEntry.kind.secured': '加密 MIFARE 卡',
  'keyedEntry.kind.uid': 'UID 卡',
  'keyedEntry.kind.magstripe': '磁条卡',
  'keyedEntry.kind.keyed': '无卡介质（仅卡号）',
  'keyedEntry.rule.allowed': '允许',
  'keyedEntry.rule.approval': '需店长授权',
  'keyedEntry.rule.refused': '不允许',
  'keyedEntry.saved': '已保存，下一笔消费起生效。',
  'keyedEntry.setByHq': '本机已加入连锁，按总部设定的规则执行；如需修改，请连锁管理员在总部修改。',
  'error.KEYED_ENTRY_SET_BY_HQ':
    '本机按连锁总部的规则处理手工输入卡号，不能在门店修改；请连锁管理员在总部修改。',
};

export const liveRulesEn: Record<keyof typeof liveRulesZh, string> = {
  'error.SIMULATOR_UNAVAILABLE':
    'The simulator is only in the demo store and training mode; a live store uses its readers and swipers.',
  'error.KEYED_ENTRY_NEEDS_APPROVAL':
    "No reader or swiper read this card. Read the member's card again, or a manager approves with staff no., PIN and a reason.",
  'error.KEYED_ENTRY_REFUSED':
    "The chain's rule: this kind of card cannot be charged by a typed number. Read it on a reader or swiper.",
  'error.OFFLINE_CARD_CAP_REACHED':
    "HQ cannot be reached and this card's offline limit of {cap} is reached: at most {remaining} more. Lower the amount, take another tender or wait for the network.",
  'error.OFFLINE_TERMINAL_CAP_REACHED':
    "HQ cannot be reached and this terminal's offline limit of {cap} is reached: at most {remaining} more. Lower the amount, take another tender or wait for the network.",
  'error.OFFLINE_TOO_LONG':
    'This terminal has not reached HQ for over {hours} hours: stored value and points are paused. Take another tender and check the network.',
  'keyedEntry.title': 'Typed card number: a manager approves',
  'keyedEntry.reason': 'Reason (printed on the receipt)',
  'keyedEntry.policy': 'Typed card numbers',
  'keyedEntry.policyHint':
    'What a charge may do when a card was not read by a reader or swiper, only its number typed. Admins change it.',
  'keyedEntry.kind.secured': 'Secured MIFARE cards',
  'keyedEntry.kind.uid': 'UID cards',
  'keyedEntry.kind.magstripe': 'Magstripe cards',
  'keyedEntry.kind.keyed': 'Number-only cards',
  'keyedEntry.rule.allowed': 'Allowed',
  'keyedEntry.rule.approval': "Manager's approval",
  'keyedEntry.rule.refused': 'Refused',
  'keyedEntry.saved': 'Saved; applies from the next charge.',
  'keyedEntry.setByHq': "This till belongs to a chain and follows HQ's rule; a chain admin changes it at HQ.",
  'error.KEYED_ENTRY_SET_BY_HQ':
    "This till follows its chain's rule for typed card numbers, which the store cannot change; a chain admin changes it at HQ.",
};
