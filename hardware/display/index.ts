export * from './led-display';
export * from './led-pole';
