export { DeviceError } from './errors';
export * from './pcsc/index';
export * from './printer/index';
export * from './swiper/index';
export * from './discovery/index';
export * from './diagnostics/index';
