export * from './diagnostics/index';
export * from './discovery/index';
export * from './display/index';
export { DeviceError } from './errors';
export * from './pcsc/index';
export * from './printer/index';
export * from './swiper/index';
