export type { AttachWedgeOptions } from './attach';
export { attachWedge } from './attach';
export type { WedgeDecision, WedgeKey, WedgeOptions } from './detector';
export { WedgeDetector } from './detector';
