/** The counter's words for paying: amount limits, who pays and what is left, change, split payment, pay codes. */

export const payingZh = {
  'error.AMOUNT_OVER_LIMIT': '单笔{what}最多 {limit}，{amount} 超过了上限。',
  'error.MEMBER_REAL_NAME_REQUIRED':
    '单笔充值超过 {limit} 需要实名：请先在会员页登记会员的手机号或身份证号。',
  'error.CARD_BALANCE_OVER_LIMIT': '记名卡本金最多 {limit}，卡上已有本金 {principal}，最多还能充 {room}。',
  'error.CARD_BALANCE_OVER_LIMIT_ANONYMOUS':
    '不记名卡本金最多 {limit}，卡上已有本金 {principal}，最多还能充 {room}；登记手机号或身份证号后上限更高。',
  'limits.title': '金额上限',
  'limits.hint':
    '按单用途预付卡规定：记名卡（有手机号或身份证号）本金最多 ¥5,000，不记名卡最多 ¥1,000。超出时收银台会说明上限。',
  'limits.topUpMaxFen': '单笔充值上限（元）',
  'limits.chargeMaxFen': '单笔消费上限（元）',
  'limits.namedCardMaxFen': '记名卡本金上限（元）',
  'limits.anonymousCardMaxFen': '不记名卡本金上限（元）',
  'limits.realNameAboveFen': '单笔充值超过此金额需实名（元）',
  'limits.save': '保存上限',
  'limits.saved': '金额上限已保存，下一笔业务起生效。',
  'limits.adminOnly': '只有管理员可以修改金额上限。',
  'confirm.member': '会员',
  'topUp.after': '充值后余额',
  'topUp.quoteFailed': '无法计算赠送：',
  'cash.tendered': '实收现金（元）',
  'cash.change': '找零',
  'cash.short': '实收少于应收 {due}',
  'split.offer': '余额不足，可组合支付：卡上 {available} 全部用于支付，其余 {rest} 用：',
  'split.result': '会员卡支付 {card}，{tender} {rest}',
  'split.slip': '银行卡签购单号',
  'payCode.label': '付款码',
  'payCode.hint': '请用扫码枪扫描顾客手机上的付款码',
  'payCode.scanned': '已扫到{tender}付款码',
  'error.PAYMENT_PROVIDER_NOT_CONFIGURED': '本店没有设置微信/支付宝收款通道，请让顾客用其他方式支付。',
  'error.PAYMENT_PROVIDER_UNREACHABLE': '收款通道没有应答，钱没有扣。请稍后重试或换其他方式支付。',
  'error.PAYMENT_DECLINED': '顾客的付款被拒绝（余额不足或付款码已失效），请让顾客刷新付款码或换其他方式。',
  'error.PAYMENT_CODE_INVALID': '这不是微信或支付宝的付款码，请重新扫描。',
  'error.PAYMENT_CODE_TENDER_MISMATCH': '这个付款码属于另一种支付方式，请重新选择或重新扫描。',
};

export const payingEn: Record<keyof typeof payingZh, string> = {
  'error.AMOUNT_OVER_LIMIT': 'One {what} may be at most {limit}; {amount} is over the limit.',
  'error.MEMBER_REAL_NAME_REQUIRED':
    "A top-up over {limit} needs the member's real-name details: add their phone or ID number on the Members screen first.",
  'error.CARD_BALANCE_OVER_LIMIT':
    'A named card holds at most {limit} of principal; it holds {principal}, so at most {room} more can be topped up.',
  'error.CARD_BALANCE_OVER_LIMIT_ANONYMOUS':
    'An anonymous card holds at most {limit} of principal; it holds {principal}, so at most {room} more. With a phone or ID number on file the limit is higher.',
  'limits.title': 'Amount limits',
  'limits.hint':
    'After the single-purpose prepaid card rules: a named card (phone or ID number on file) holds at most ¥5,000 of principal, an anonymous one ¥1,000. The counter names the limit when it refuses.',
  'limits.topUpMaxFen': 'Most for one top-up (¥)',
  'limits.chargeMaxFen': 'Most for one charge (¥)',
  'limits.namedCardMaxFen': 'Most principal on a named card (¥)',
  'limits.anonymousCardMaxFen': 'Most principal on an anonymous card (¥)',
  'limits.realNameAboveFen': 'Real-name details for a top-up over (¥)',
  'limits.save': 'Save limits',
  'limits.saved': 'Amount limits saved; they apply from the next operation.',
  'limits.adminOnly': 'Only an admin can change the amount limits.',
  'confirm.member': 'Member',
  'topUp.after': 'Balance after',
  'topUp.quoteFailed': 'The bonus cannot be worked out: ',
  'cash.tendered': 'Cash received (¥)',
  'cash.change': 'Change',
  'cash.short': 'Received is less than the {due} due',
  'split.offer': 'Not enough on the card to pay it all: the card pays its {available}, the other {rest} by:',
  'split.result': 'Card paid {card}, {tender} {rest}',
  'split.slip': 'Bank card slip number',
  'payCode.label': 'Payment code',
  'payCode.hint': "Scan the payment code on the customer's phone",
  'payCode.scanned': '{tender} payment code scanned',
  'error.PAYMENT_PROVIDER_NOT_CONFIGURED':
    'This store has no WeChat Pay/Alipay gateway set up: ask the customer to pay another way.',
  'error.PAYMENT_PROVIDER_UNREACHABLE':
    'The payment gateway did not answer and nothing was taken. Try again shortly or take another tender.',
  'error.PAYMENT_DECLINED':
    "The customer's payment was declined (not enough in the wallet, or the code expired): ask them to refresh the code or pay another way.",
  'error.PAYMENT_CODE_INVALID': 'That is not a WeChat Pay or Alipay payment code; scan it again.',
  'error.PAYMENT_CODE_TENDER_MISMATCH':
    'That payment code belongs to the other wallet; pick it or scan again.',
};
