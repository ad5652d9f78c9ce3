export type { AttachWedgeOptions, ReplayKey } from './attach';
export { attachWedge } from './attach';
export type { WedgeDecision, WedgeKey, WedgeOptions, WedgeRefusal } from './detector';
export { looksLikePaymentCard, WedgeDetector } from './detector';
export { PayCodeBurst, type PayCodeDecision } from './pay-code';
