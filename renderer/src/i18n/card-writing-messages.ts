/**
 * The words for writing new member cards and for cards the readers refuse, in Simplified Chinese and English:
 * each refusal says what is wrong with the card and what the cashier does next.
 */

export const cardWritingZh = {
  'error.CARD_NUMBER_INVALID': '写入卡片的卡号须为 1 至 16 位数字（不能有字母）。请改正卡号后再确认。',
  'error.CARD_WRITER_MISSING': '本机没有本店的卡片密钥，不能写卡。请联系技术人员。',
  'error.CARD_LOCKED': '这张卡的密码已被锁死，不能再写入。请换一张卡。',
  'card.foreignUnwritable': '这张卡已被其他系统加密，本店无法写入，会员和款项都没有登记。请换一张空白卡。',
  'card.numberRule': '要写入卡片的卡号须为 1 至 16 位数字。',
  'activate.writeRefused': '开卡已完成，但这张卡不能写入：',
} as const;

export const cardWritingEn: Record<keyof typeof cardWritingZh, string> = {
  'error.CARD_NUMBER_INVALID':
    'A number written onto a card is 1 to 16 digits (no letters). Correct the number and confirm again.',
  'error.CARD_WRITER_MISSING': 'This terminal has no card keys to write cards with. Call the technician.',
  'error.CARD_LOCKED': "This card's code is locked for good and it cannot be written. Use another card.",
  'card.foreignUnwritable':
    'This card is locked by another system and cannot be written here; no member or money was recorded. Use a blank card.',
  'card.numberRule': 'A number written onto a card is 1 to 16 digits.',
  'activate.writeRefused': 'The card is activated, but this card cannot be written: ',
};
