export type { AttachWedgeOptions, ReplayKey } from './attach';
export { attachWedge } from './attach';
export type { WedgeDecision, WedgeKey, WedgeOptions } from './detector';
export { looksLikePaymentCard, WedgeDetector } from './detector';
